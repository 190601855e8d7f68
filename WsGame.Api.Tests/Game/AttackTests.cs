using WsGame.Api.Game;
using static WsGame.Api.Tests.Game.GameTestKit;

namespace WsGame.Api.Tests.Game;

/// <summary>Whom an attack hits, and how often one may attack.</summary>
public sealed class AttackTests
{
    private readonly Arena _arena = new(Options());

    // The attacker stands at (200, 150): body x 224..272, y 182..246. Attack boxes with the defaults (40 deep, 48 wide):
    // RIGHT x 272..312 y 190..238; LEFT x 184..224 y 190..238; DOWN x 224..272 y 246..286; UP x 224..272 y 142..182.
    [Theory]
    [InlineData(Direction.RIGHT, 287, 150, true)] // victim body from x 311: 1 px inside the reach
    [InlineData(Direction.RIGHT, 288, 150, false)] // body from x 312: just beyond
    [InlineData(Direction.RIGHT, 112, 150, false)] // behind
    [InlineData(Direction.RIGHT, 200, 250, false)] // beside, below
    [InlineData(Direction.RIGHT, 270, 95, true)] // body y 127..191: 1 px into the attack's width
    [InlineData(Direction.RIGHT, 270, 94, false)] // body y 126..190: just outside it
    [InlineData(Direction.LEFT, 113, 150, true)] // body x 137..185
    [InlineData(Direction.LEFT, 112, 150, false)] // body x 136..184
    [InlineData(Direction.LEFT, 288, 150, false)] // behind
    [InlineData(Direction.LEFT, 140, 55, false)] // beside, above
    [InlineData(Direction.DOWN, 200, 253, true)] // body y 285..349
    [InlineData(Direction.DOWN, 200, 254, false)] // body y 286..350
    [InlineData(Direction.DOWN, 200, 46, false)] // behind
    [InlineData(Direction.DOWN, 300, 230, false)] // beside, right
    [InlineData(Direction.UP, 200, 47, true)] // body y 79..143
    [InlineData(Direction.UP, 200, 46, false)] // body y 78..142
    [InlineData(Direction.UP, 200, 254, false)] // behind
    [InlineData(Direction.UP, 100, 100, false)] // beside, left
    public void An_attack_hits_a_body_in_front_within_range_and_nothing_else(Direction facing, int victimLeft, int victimTop, bool hit)
    {
        var attacker = Player("a", 200, 150, facing);
        var victim = Player("v", victimLeft, victimTop);

        var result = _arena.Attack(attacker, Seconds(1), [attacker, victim]);

        Assert.True(result.Accepted);
        Assert.Equal(hit ? [new Hit("v", 29, false)] : [], result.Hits);
        Assert.Equal(hit ? 29 : 30, victim.Energy);
        Assert.Equal(PlayerStatus.ATTACK, attacker.Status);
    }

    [Fact]
    public void One_swing_hits_every_live_body_in_reach_but_not_the_fallen()
    {
        var attacker = Player("a", 200, 150);
        var near = Player("near", 250, 150);
        var alsoNear = Player("also", 250, 100); // body y 132..196 reaches into the attack's y 190..238
        var fallen = Player("fallen", 260, 170);
        fallen.KnockedOut = true;
        fallen.Energy = 0;

        var result = _arena.Attack(attacker, Seconds(1), [attacker, near, alsoNear, fallen]);

        Assert.Equal([new Hit("near", 29, false), new Hit("also", 29, false)], result.Hits);
        Assert.Equal(0, fallen.Energy);
    }

    [Fact]
    public void A_second_attack_inside_the_cooldown_is_refused_and_does_not_restart_it()
    {
        var attacker = Player("a", 100, 150);
        var victim = Player("v", 148, 150);

        Assert.True(_arena.Attack(attacker, Seconds(10.0), [attacker, victim]).Accepted);
        var tooSoon = _arena.Attack(attacker, Seconds(10.3), [attacker, victim]);
        var stillTooSoon = _arena.Attack(attacker, Seconds(10.399), [attacker, victim]);
        var afterCooldown = _arena.Attack(attacker, Seconds(10.4), [attacker, victim]);

        Assert.Equal(AttackRefusal.CoolingDown, tooSoon.Refusal);
        Assert.Empty(tooSoon.Hits);
        Assert.Equal(AttackRefusal.CoolingDown, stillTooSoon.Refusal);
        Assert.True(afterCooldown.Accepted);
        Assert.Equal(28, victim.Energy); // two accepted hits, however often the key repeated
    }

    [Fact]
    public void Holding_the_attack_key_drains_only_one_hit_per_cooldown()
    {
        var attacker = Player("a", 100, 150);
        var victim = Player("v", 148, 150);

        // Key repeat at 30 per second for two seconds; cooldown 0.4 s: attacks at 0, 0.4, 0.8, 1.2, 1.6 (and 2.0).
        for (int repeat = 0; repeat <= 60; repeat++)
        {
            _arena.Attack(attacker, TimeSpan.FromTicks(TimeSpan.TicksPerSecond * repeat / 30), [attacker, victim]);
        }

        Assert.Equal(30 - 6, victim.Energy);
    }

    [Fact]
    public void Energy_stops_at_zero_and_that_player_is_knocked_out()
    {
        var arena = new Arena(Options(options => options.Damage = 20));
        var attacker = Player("a", 100, 150);
        var victim = Player("v", 148, 150);

        arena.Attack(attacker, Seconds(1), [attacker, victim]);
        var result = arena.Attack(attacker, Seconds(2), [attacker, victim]);

        Assert.Equal([new Hit("v", 0, true)], result.Hits);
        Assert.Equal(["v"], result.KnockedOut);
        Assert.True(victim.KnockedOut);
        Assert.Equal(0, victim.Energy);
    }

    [Fact]
    public void A_knocked_out_player_cannot_attack()
    {
        var attacker = Player("a", 100, 150);
        attacker.KnockedOut = true;
        var victim = Player("v", 148, 150);

        var result = _arena.Attack(attacker, Seconds(1), [attacker, victim]);

        Assert.Equal(AttackRefusal.KnockedOut, result.Refusal);
        Assert.Equal(30, victim.Energy);
    }
}
