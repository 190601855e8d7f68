using WsGame.Api.Game.Wire;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Game.Session;

/// <summary>
/// <c>/ws</c>: turns each client message into a session call, and every bad message into an
/// <c>error</c> answer that leaves the connection open (docs/protocol.md).
/// </summary>
public sealed class GameHandler(GameSession session) : IWebSocketHandler
{
    public const string Path = "/ws";

    private static readonly string[] Sprites = ["knight", "ninja", "mage", "archer"];

    public ValueTask OnOpenAsync(WebSocketConnection connection)
    {
        session.Connect(connection);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnClosedAsync(WebSocketConnection connection, CloseSummary summary)
    {
        if (session.TryGetClient(connection, out var client))
        {
            session.Disconnect(client);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask OnMessageAsync(WebSocketConnection connection, MessageType type, ReadOnlyMemory<byte> payload)
    {
        if (!session.TryGetClient(connection, out var client))
        {
            return ValueTask.CompletedTask;
        }
        session.Stats.MessageIn();
        if (type == MessageType.Binary)
        {
            Fail(client, ServerMessages.BinaryNotSupported);
            return ValueTask.CompletedTask;
        }
        switch (ClientMessageParser.TryParse(payload.Span, out var message, out var field))
        {
            case ParseFailure.InvalidJson:
                Fail(client, ServerMessages.InvalidJson);
                return ValueTask.CompletedTask;
            case ParseFailure.UnknownType:
                Fail(client, ServerMessages.NotJoined);
                return ValueTask.CompletedTask;
            case ParseFailure.InvalidField:
                Fail(client, $"Invalid field '{field}': {FieldRule(field!)}", field);
                return ValueTask.CompletedTask;
        }
        if (client.Player is null && message.Type != ClientMessageType.Join)
        {
            Fail(client, ServerMessages.NotJoined);
            return ValueTask.CompletedTask;
        }
        Dispatch(client, message);
        return ValueTask.CompletedTask;
    }

    private void Dispatch(GameClient client, in ClientMessage message)
    {
        var options = session.Options;
        switch (message.Type)
        {
            case ClientMessageType.Join:
                Join(client, message);
                break;
            case ClientMessageType.Move:
                client.Room?.Move(client, message, session.Now);
                break;
            case ClientMessageType.Attack:
                client.Room?.Attack(client, session.Now);
                break;
            case ClientMessageType.Chat:
                if (message.Text is null)
                {
                    Fail(client, "Invalid field 'message': a text is required.", "message");
                }
                else if (message.Text.Length > options.MaxChatLength)
                {
                    Fail(client, $"Invalid field 'message': at most {options.MaxChatLength} characters.", "message");
                }
                else
                {
                    client.Room?.Chat(client, message.Text);
                }
                break;
            case ClientMessageType.Rematch:
                if (client.Room?.Rematch(client) is RematchRefusal.RoundNotOver)
                {
                    Fail(client, "No rematch yet: the round is not over.");
                }
                break;
            case ClientMessageType.Leave:
                session.Leave(client);
                client.Send(ServerMessages.LeaveSuccess());
                client.Connection.Close(CloseCode.NormalClosure, "left");
                break;
        }
    }

    private void Join(GameClient client, in ClientMessage message)
    {
        if (client.Player is not null)
        {
            Fail(client, "Already joined: send leave first.");
            return;
        }
        // The seed chat room calls a player without a name "Anonymous".
        var name = (message.Name ?? "Anonymous").Trim();
        if (name.Length is 0 || name.Length > session.Options.MaxNameLength || name.Any(char.IsControl))
        {
            Fail(client, $"Invalid field 'name': 1-{session.Options.MaxNameLength} characters, no control characters.", "name");
            return;
        }
        var sprite = message.Sprite ?? Sprites[0];
        if (!Sprites.Contains(sprite))
        {
            Fail(client, $"Invalid field 'sprite': one of {string.Join(", ", Sprites)}.", "sprite");
            return;
        }
        var room = message.Room?.Trim();
        if (room is not null && (room.Length is 0 or > 32 || room.Any(char.IsControl)))
        {
            Fail(client, "Invalid field 'room': 1-32 characters, no control characters.", "room");
            return;
        }
        switch (session.Join(client, name, sprite, room))
        {
            case JoinRefusal.RoomFull:
                session.Stats.Error();
                client.Send(ServerMessages.Error(ServerMessages.RoomFull, code: -1));
                break;
            case JoinRefusal.InvalidName:
                Fail(client, $"Invalid field 'name': 1-{session.Options.MaxNameLength} characters, no control characters.", "name");
                break;
        }
    }

    private static string FieldRule(string field) => field switch
    {
        "left" or "top" => "a number of pixels is required.",
        "direction" => "one of UP, DOWN, LEFT, RIGHT.",
        "status" => "one of STAY, MOVE.",
        _ => "a text is required.",
    };

    private void Fail(GameClient client, string message, string? field = null)
    {
        session.Stats.Error();
        client.Send(ServerMessages.Error(message, field));
    }
}
