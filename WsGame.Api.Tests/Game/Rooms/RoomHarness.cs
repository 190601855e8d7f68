using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WsGame.Api.Game;
using WsGame.Api.Game.Rooms;
using WsGame.Api.Game.Wire;

namespace WsGame.Api.Tests.Game.Rooms;

/// <summary>
/// A <see cref="RoomCore"/> with no sockets: inputs go in with explicit times, and what each connection
/// would receive comes out as the JSON it would read (numbered messages with their <c>seq</c> first, as the
/// client reassembles them), plus the closes. Also records messages put in away members' streams.
/// </summary>
internal sealed class RoomHarness
{
    private readonly RoomOutbox _outbox = new();
    private readonly Dictionary<long, List<string>> _received = [];
    private readonly Dictionary<long, string> _history = [];
    private int _tokens;

    public RoomHarness(GameOptions? options = null, string name = "dojo") =>
        Core = new RoomCore(name, isPublic: false, options ?? new GameOptions());

    public RoomCore Core { get; }

    public TimeSpan Now { get; set; } = TimeSpan.FromSeconds(10);

    public long Tick { get; private set; }

    /// <summary>Every step's outbox rendered in order, for comparing two runs.</summary>
    public List<string> Log { get; } = [];

    public List<string> Received(long connection) => _received.TryGetValue(connection, out var list) ? list : [];

    public IEnumerable<JsonObject> Messages(long connection) => Received(connection).Select(text => JsonNode.Parse(text)!.AsObject());

    public string LastToken { get; private set; } = "";

    public void Step(RoomInput input)
    {
        Core.Step(input, _outbox);
        foreach (var send in _outbox.Sends)
        {
            if (send.Kind == RoomSendKind.Deliver)
            {
                // As the host does: the room keeps the numbers, whoever sends keeps what they stood for.
                _history[send.History] = Json(_outbox.Messages[send.Message]);
                _history.Remove(send.History - Core.Options.ResumeHistory); // no more than the host keeps
            }
            var line = send.Kind switch
            {
                RoomSendKind.Deliver => Numbered(send.Seq, _history[send.History]),
                RoomSendKind.Replay => Numbered(send.Seq, _history[send.History]),
                RoomSendKind.Reply => Json(_outbox.Messages[send.Message]),
                _ => $"close {send.CloseCode} {send.Reason}",
            };
            Log.Add($"{send.Connection}: {line}");
            if (send.Connection == 0)
            {
                continue; // an away seat: nothing reaches a socket
            }
            if (!_received.TryGetValue(send.Connection, out var list))
            {
                _received[send.Connection] = list = [];
            }
            list.Add(line);
            if (send.Kind == RoomSendKind.Reply && _outbox.Messages[send.Message] is WelcomeMessage { ResumeToken: { } token })
            {
                LastToken = token;
            }
        }
        _outbox.Clear();
    }

    public string NextToken() => $"token-{++_tokens}";

    public string Join(long connection, string name, string id)
    {
        var token = NextToken();
        Step(RoomInput.Join(connection, Now, id, name, "knight", token));
        return token;
    }

    public void Move(long connection, int left, int top, Direction direction = Direction.RIGHT) =>
        Step(RoomInput.Move(connection, Now, left, top, direction, PlayerStatus.MOVE));

    public void Ticks(int count = 1, TimeSpan? every = null)
    {
        for (var i = 0; i < count; i++)
        {
            Now += every ?? TimeSpan.FromMilliseconds(50);
            Step(RoomInput.Tick(Now, ++Tick));
        }
    }

    public static string Json(RoomMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            RoomMessageWriter.Write(writer, message);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Numbered(long seq, string json) => $"{{\"seq\":{seq},{json[1..]}";

    public static string TypeAndSeq(JsonObject message) => $"{message["type"]?.GetValue<string>() ?? "success"}#{message["seq"]?.GetValue<long>()}";
}
