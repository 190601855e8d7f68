using System.Text;
using WsGame.Api.Game;
using WsGame.Api.Game.Wire;

namespace WsGame.Api.Tests.Game.Wire;

public sealed class ClientMessageParserTests
{
    private static ParseFailure Parse(string json, out ClientMessage message, out string? field) =>
        ClientMessageParser.TryParse(Encoding.UTF8.GetBytes(json), out message, out field);

    [Fact]
    public void A_move_is_read_with_fields_in_any_order()
    {
        var failure = Parse("""{"status":"MOVE","top":12.6,"direction":"LEFT","left":40,"type":"move"}""", out var move, out _);

        Assert.Equal(ParseFailure.None, failure);
        Assert.Equal(ClientMessageType.Move, move.Type);
        Assert.Equal((40, 13, Direction.LEFT, PlayerStatus.MOVE), (move.Left, move.Top, move.Direction, move.Status));
    }

    [Fact]
    public void A_join_keeps_its_texts_and_ignores_unknown_fields()
    {
        var failure = Parse("""{"type":"join","name":"Mina","sprite":"ninja","room":"dojo","extra":{"a":[1]}}""", out var join, out _);

        Assert.Equal(ParseFailure.None, failure);
        Assert.Equal(("Mina", "ninja", "dojo"), (join.Name, join.Sprite, join.Room));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("\"join\"")]
    [InlineData("{\"type\":\"join\"")]
    [InlineData("{\"type\":\"join\"} {}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}}}")]
    public void Anything_but_one_json_object_is_invalid_json(string json) =>
        Assert.Equal(ParseFailure.InvalidJson, Parse(json, out _, out _));

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"type\":\"fly\"}")]
    [InlineData("{\"type\":7}")]
    public void A_missing_or_unknown_type_is_reported_as_such(string json) =>
        Assert.Equal(ParseFailure.UnknownType, Parse(json, out _, out _));

    [Theory]
    [InlineData("{\"type\":\"move\",\"left\":\"1\"}", "left")]
    [InlineData("{\"type\":\"move\",\"top\":1e300}", "top")]
    [InlineData("{\"type\":\"move\",\"direction\":\"up\"}", "direction")]
    [InlineData("{\"type\":\"move\",\"status\":3}", "status")]
    [InlineData("{\"type\":\"chat\",\"message\":[]}", "message")]
    [InlineData("{\"type\":\"join\",\"room\":5}", "room")]
    public void A_field_of_the_wrong_kind_is_named(string json, string field)
    {
        Assert.Equal(ParseFailure.InvalidField, Parse(json, out _, out var named));
        Assert.Equal(field, named);
    }

    [Fact]
    public void Parsing_a_move_allocates_nothing()
    {
        var json = """{"type":"move","left":40,"top":12,"direction":"LEFT","status":"MOVE"}"""u8.ToArray();
        // Warm up past tiered compilation, whose bookkeeping may allocate on this thread.
        for (var i = 0; i < 20_000; i++)
        {
            ClientMessageParser.TryParse(json, out _, out _);
        }

        // The least of a few rounds: a round may catch the runtime's own bookkeeping (a tier-up, a
        // stack replacement) on this thread once, but the parser allocating would show in every round.
        var least = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                ClientMessageParser.TryParse(json, out _, out _);
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }
}
