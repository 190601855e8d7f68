using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WsGame.Api.Game;
using WsGame.Api.Hosting;

namespace WsGame.Api.Tests.Game;

/// <summary>The game settings are checked at start-up, one by one and against each other.</summary>
public sealed class GameOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_are_the_tutorials_duel()
    {
        var options = Resolve([]);

        Assert.Equal(2, options.RoomCapacity);
        Assert.Equal((500, 400, 96), (options.ArenaWidth, options.ArenaHeight, options.SpriteSize));
        Assert.Equal((48, 64), (options.BodyWidth, options.BodyHeight));
        Assert.Equal(200, options.MaxSpeed);
        Assert.Equal((30, 1), (options.MaxEnergy, options.Damage));
        Assert.Equal(TimeSpan.FromMilliseconds(400), options.AttackCooldown);
        Assert.Equal((40, 48), (options.AttackRange, options.AttackWidth));
        Assert.Equal((20, 500, 16), (options.TickRate, options.MaxChatLength, options.MaxNameLength));
    }

    [Theory]
    [InlineData("RoomCapacity", "0")]
    [InlineData("RoomCapacity", "1001")]
    [InlineData("ArenaWidth", "15")]
    [InlineData("ArenaWidth", "100001")]
    [InlineData("ArenaHeight", "15")]
    [InlineData("ArenaHeight", "100001")]
    [InlineData("SpriteSize", "0")]
    [InlineData("SpriteSize", "100001")]
    [InlineData("BodyWidth", "0")]
    [InlineData("BodyWidth", "100001")]
    [InlineData("BodyHeight", "0")]
    [InlineData("BodyHeight", "100001")]
    [InlineData("MaxSpeed", "0")]
    [InlineData("MaxSpeed", "1000001")]
    [InlineData("MoveTolerance", "-00:00:01")]
    [InlineData("MoveTolerance", "00:00:11")]
    [InlineData("MaxEnergy", "0")]
    [InlineData("MaxEnergy", "1000001")]
    [InlineData("Damage", "0")]
    [InlineData("Damage", "1000001")]
    [InlineData("AttackCooldown", "-00:00:01")]
    [InlineData("AttackCooldown", "00:01:01")]
    [InlineData("AttackRange", "0")]
    [InlineData("AttackRange", "100001")]
    [InlineData("AttackWidth", "0")]
    [InlineData("AttackWidth", "100001")]
    [InlineData("TickRate", "0")]
    [InlineData("TickRate", "121")]
    [InlineData("MaxChatLength", "0")]
    [InlineData("MaxChatLength", "100001")]
    [InlineData("MaxNameLength", "0")]
    [InlineData("MaxNameLength", "257")]
    public void A_setting_out_of_its_range_fails_naming_the_setting(string setting, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [setting] = value }));

        Assert.Contains($"Setting WsGame:Game:{setting} = '{value}' is invalid", error.Message);
    }

    [Theory]
    [InlineData("BodyWidth", "97", "BodyWidth (97) must not exceed SpriteSize (96)")]
    [InlineData("BodyHeight", "100", "BodyHeight (100) must not exceed SpriteSize (96)")]
    public void A_body_larger_than_the_sprite_fails_naming_both_settings(string setting, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [setting] = value }));

        Assert.Contains($"Setting WsGame:Game:{setting} = '{value}' is invalid: {message}", error.Message);
        Assert.Contains($"Setting WsGame:Game:SpriteSize = '96' is invalid: {message}", error.Message);
    }

    [Fact]
    public void A_sprite_larger_than_the_arena_fails_naming_the_sprite_and_the_arena()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => Resolve(new() { ["SpriteSize"] = "120", ["ArenaHeight"] = "100", ["BodyHeight"] = "60" }));

        const string message = "SpriteSize (120) must fit in ArenaWidth x ArenaHeight (500 x 100).";
        Assert.Contains($"Setting WsGame:Game:SpriteSize = '120' is invalid: {message}", error.Message);
        Assert.Contains($"Setting WsGame:Game:ArenaHeight = '100' is invalid: {message}", error.Message);
    }

    [Fact]
    public void More_players_than_fit_side_by_side_fails_naming_the_room_capacity()
    {
        // 500 x 400 with 96 px sprites: 9 columns of 48 px bodies (4 a side) by 5 rows of 64 px bodies: 40 slots.
        Assert.Equal(40, Resolve(new() { ["RoomCapacity"] = "40" }).RoomCapacity);

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["RoomCapacity"] = "41" }));

        Assert.Contains("Setting WsGame:Game:RoomCapacity = '41' is invalid: RoomCapacity (41) is more than the 40 players", error.Message);
    }

    /// <summary>The same registration Program uses, over a configuration of <c>WsGame:Game</c> settings.</summary>
    private static GameOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(pair => $"{GameOptions.SectionName}:{pair.Key}", pair => pair.Value))
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddValidatedOptions<GameOptions>(GameOptions.SectionName)
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<GameOptions>>().Value;
    }
}
