using System.Text.Json.Nodes;
using WsGame.Api.Game;
using WsGame.Api.Game.Rooms;

namespace WsGame.Api.Tests.Game.Rooms;

/// <summary>A seat held for a player whose connection dropped: resume, replay, snapshot, takeover, forfeit.</summary>
public sealed class HeldSeatTests
{
    private static long Seq(JsonObject message) => message["seq"]?.GetValue<long>() ?? 0;

    private static string Type(JsonObject message) => message["type"]?.GetValue<string>() ?? "";

    private static RoomHarness Duel(GameOptions? options = null)
    {
        var room = new RoomHarness(options);
        room.Join(1, "Ann", "1");
        room.Join(2, "Bob", "2");
        room.Ticks();
        return room;
    }

    private static string TokenOf(RoomHarness room, long connection) =>
        room.Messages(connection).Last(m => m["resume"] is not null)["resume"]!.GetValue<string>();

    [Fact]
    public void A_resume_replays_every_message_after_the_last_one_seen_and_nothing_twice()
    {
        var room = Duel();
        var token = TokenOf(room, 1);
        room.Move(1, 10, 152);
        room.Ticks();
        var seen = room.Messages(1).Where(m => m["seq"] is not null).ToList();
        var lastSeen = Seq(seen[^3]); // the last two never reached the client before the drop

        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        room.Move(2, 394, 152, Direction.LEFT);
        room.Ticks();
        room.Step(RoomInput.Chat(2, room.Now, "still there?"));
        room.Step(RoomInput.Resume(11, room.Now, token, lastSeen, room.NextToken()));

        var resumed = room.Messages(11).ToList();
        Assert.Equal("welcome", Type(resumed[0]));
        Assert.True(resumed[0]["resumed"]!.GetValue<bool>());
        Assert.Equal("1", resumed[0]["id"]!.GetValue<string>());
        Assert.Equal(1, resumed[0]["round"]!.GetValue<int>());
        Assert.True(resumed[0]["you"]!["connected"]!.GetValue<bool>(), "the resumed welcome shows the player as back");
        Assert.NotEqual(token, resumed[0]["resume"]!.GetValue<string>());
        // What the client saw, then the replay: 1, 2, 3, ... with no gap and no repeat, ending with its return.
        var stream = seen.Where(m => Seq(m) <= lastSeen).Concat(resumed.Skip(1)).Select(Seq).ToList();
        Assert.Equal(Enumerable.Range(1, stream.Count).Select(i => (long)i), stream);
        Assert.Contains(resumed, m => Type(m) == "chat" && m["message"]!.GetValue<string>() == "still there?");
        Assert.Equal("Ann is back.", resumed[^1]["message"]!.GetValue<string>());

        var bob = room.Messages(2).ToList();
        Assert.Contains(bob, m => Type(m) == "status" && m["message"]!.GetValue<string>() == "Ann lost connection.");
        Assert.Contains(bob, m => Type(m) == "status" && m["message"]!.GetValue<string>() == "Ann is back.");
        room.Ticks();
        var back = room.Messages(2).Last(m => Type(m) == "update");
        Assert.True(back["players"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "1")!["connected"]!.GetValue<bool>());
    }

    [Fact]
    public void While_away_a_player_is_shown_disconnected_does_not_move_and_cannot_be_hit()
    {
        var room = Duel();
        var bob = room.Core.Rules.Find("2")!;
        var ann = room.Core.Rules.Find("1")!;
        room.Core.Rules.PutAt(bob, ann.Left + 40, ann.Top); // close enough to hit, facing Ann
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        room.Ticks();

        var update = room.Messages(2).Last(m => Type(m) == "update");
        Assert.False(update["players"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "1")!["connected"]!.GetValue<bool>());
        Assert.False(room.Core.Rules.Snapshot().Single(p => p.Id == "1").Connected);

        room.Move(2, bob.Left - 1, bob.Top, Direction.LEFT);
        room.Step(RoomInput.Attack(2, room.Now));
        room.Move(1, 0, 0); // the old connection is no longer the seat's
        Assert.Equal(room.Core.Options.MaxEnergy, ann.Energy);
        Assert.NotEqual((0, 0), (ann.Left, ann.Top));
    }

    [Fact]
    public void A_resume_older_than_the_history_gets_a_snapshot_numbered_next()
    {
        var room = Duel(new GameOptions { ResumeHistory = 4 });
        var token = TokenOf(room, 1);
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        for (var i = 0; i < 10; i++)
        {
            room.Step(RoomInput.Chat(2, room.Now, $"chat {i}"));
        }
        var last = room.Core.Seats.Single(s => s.Id == "1").LastSeq;

        room.Step(RoomInput.Resume(11, room.Now, token, 1, room.NextToken()));

        var resumed = room.Messages(11).ToList();
        Assert.Equal(["welcome", "snapshot", "status"], resumed.Select(Type));
        Assert.Equal(last + 1, Seq(resumed[1]));
        Assert.Equal(last + 2, Seq(resumed[2]));
    }

    [Fact]
    public void A_token_works_once_and_an_unknown_one_is_refused_without_a_seat()
    {
        var room = Duel();
        var token = TokenOf(room, 1);
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        room.Step(RoomInput.Resume(11, room.Now, token, 0, room.NextToken()));
        room.Step(RoomInput.Disconnect(11, room.Now, consented: false));

        room.Step(RoomInput.Resume(12, room.Now, token, 0, room.NextToken()));
        room.Step(RoomInput.Resume(13, room.Now, "not-a-token", 0, room.NextToken()));

        foreach (var refused in new long[] { 12, 13 })
        {
            var answer = Assert.Single(room.Messages(refused));
            Assert.Equal("error", Type(answer));
            Assert.StartsWith("Cannot resume:", answer["message"]!.GetValue<string>());
            Assert.Equal("token", answer["field"]!.GetValue<string>());
            Assert.Null(answer["seq"]);
            Assert.Null(room.Core.MemberOf(refused));
        }
        Assert.Equal(0, room.Core.Seats.Single(s => s.Id == "1").Connection);
    }

    [Fact]
    public void A_resume_while_the_old_connection_is_open_takes_the_seat_and_closes_the_old_one_with_4001()
    {
        var room = Duel();
        var token = TokenOf(room, 1);
        var lastSeen = room.Messages(1).Max(Seq);

        room.Step(RoomInput.Resume(11, room.Now, token, lastSeen, room.NextToken()));
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false)); // the half-open one finally ends

        Assert.Equal("close 4001 seat taken over", room.Received(1)[^1]);
        Assert.Equal(11, room.Core.Seats.Single(s => s.Id == "1").Connection);
        Assert.DoesNotContain(room.Messages(2), m => Type(m) == "status" && m["message"]!.GetValue<string>().Contains("lost connection"));
        Assert.Equal(["welcome"], room.Messages(11).Select(Type)); // it had seen everything: nothing to replay
    }

    [Fact]
    public void When_the_grace_runs_out_the_player_leaves_and_the_opponent_wins_by_forfeit()
    {
        var room = Duel(new GameOptions { ReconnectGrace = TimeSpan.FromSeconds(2) });
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        room.Ticks(30); // 1.5 s: still held
        Assert.DoesNotContain(room.Messages(2), m => Type(m) == "ko");

        room.Ticks(12);

        var ko = room.Messages(2).Single(m => Type(m) == "ko");
        Assert.Equal(("forfeit", "2", "1"), (ko["reason"]!.GetValue<string>(), ko["winner"]!.GetValue<string>(), ko["loser"]!.GetValue<string>()));
        Assert.Contains(room.Messages(2), m => Type(m) == "status" && m["message"]!.GetValue<string>() == "Ann left the chat.");
        Assert.Equal(1, room.Core.Rules.Find("2")!.Wins);
        Assert.Single(room.Core.Seats);
    }

    [Fact]
    public void Closing_with_1000_is_leaving_at_once_and_a_voluntary_leave_mid_round_counts_no_win()
    {
        var room = Duel();
        room.Step(RoomInput.Disconnect(1, room.Now, consented: true));
        room.Ticks();

        var ko = room.Messages(2).Single(m => Type(m) == "ko");
        Assert.Equal("left", ko["reason"]!.GetValue<string>());
        Assert.Equal(0, room.Core.Rules.Find("2")!.Wins);
        Assert.Single(room.Core.Seats);
    }

    [Fact]
    public void A_spectator_sees_the_room_chats_marked_as_such_and_cannot_play()
    {
        var room = Duel(new GameOptions { MaxSpectators = 1 });
        room.Step(RoomInput.Spectate(5, room.Now, "Sam"));
        room.Step(RoomInput.Spectate(6, room.Now, "Too many"));
        room.Move(5, 0, 0);
        room.Step(RoomInput.Attack(5, room.Now));
        room.Step(RoomInput.Chat(5, room.Now, "go Ann"));

        Assert.Equal(["welcome", "error", "error", "chat"], room.Messages(5).Select(Type));
        Assert.Equal(RoomTexts.SpectatorsCannotPlay, room.Messages(5).ElementAt(1)["message"]!.GetValue<string>());
        var chat = room.Messages(1).Last();
        Assert.Equal(("Sam", true), (chat["sender"]!.GetValue<string>(), chat["spectator"]!.GetValue<bool>()));
        Assert.Equal(RoomTexts.TooManySpectators(1), Assert.Single(room.Messages(6))["message"]!.GetValue<string>());
        Assert.Single(room.Core.Spectators);
    }

    [Fact]
    public void A_spectator_who_arrives_while_a_player_is_away_is_told_how_long_the_seat_is_still_held()
    {
        var room = Duel(new GameOptions { ReconnectGrace = TimeSpan.FromSeconds(30) });
        room.Step(RoomInput.Disconnect(1, room.Now, consented: false));
        room.Ticks(100); // 5 s at 50 ms a tick

        room.Step(RoomInput.Spectate(5, room.Now, "Sam"));

        var players = Assert.Single(room.Messages(5))["players"]!.AsArray();
        var away = players.Single(p => p!["id"]!.GetValue<string>() == "1")!;
        Assert.False(away["connected"]!.GetValue<bool>());
        Assert.Equal(25_000, away["graceLeftMs"]!.GetValue<int>());
        Assert.Null(players.Single(p => p!["id"]!.GetValue<string>() == "2")!["graceLeftMs"]);
    }
}
