using WsGame.Api.Game.Results;
using WsGame.Api.Game.Rooms;
using WsGame.Api.Game.Wire;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Game.Session;

/// <summary>
/// <c>/ws</c>: parses each client message and hands it to the client's room (never waiting on the room: past
/// the input bound it only stops reading), routes joins, resumes and spectators, and answers every bad message
/// with an <c>error</c> that leaves the connection open (docs/protocol.md).
/// </summary>
public sealed class GameHandler(GameSession session, IProfiles? profiles = null) : IWebSocketHandler
{
    public const string Path = "/ws";

    public ValueTask OnOpenAsync(WebSocketConnection connection)
    {
        session.Connect(connection);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnClosedAsync(WebSocketConnection connection, CloseSummary summary)
    {
        if (session.TryGetClient(connection, out var client))
        {
            // Closing with 1000 is leaving; any other end (a drop, a going-away page) holds the seat for a resume.
            var consented = summary.Initiator == CloseInitiator.Client && summary.Code == CloseCode.NormalClosure;
            session.Disconnect(client, consented);
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
            return Fail(client, ServerMessages.BinaryNotSupported);
        }
        switch (ClientMessageParser.TryParse(payload.Span, out var message, out var field))
        {
            case ParseFailure.InvalidJson:
                return Fail(client, ServerMessages.InvalidJson);
            case ParseFailure.UnknownType:
                return Fail(client, ServerMessages.NotJoined);
            case ParseFailure.InvalidField:
                return Fail(client, $"Invalid field '{field}': {FieldRule(field!)}", field);
        }
        if (message.Type is ClientMessageType.Join or ClientMessageType.Resume or ClientMessageType.Spectate)
        {
            return Enter(client, message);
        }
        return client.Room is { } room ? Play(client, room, message) : Fail(client, ServerMessages.NotJoined);
    }

    private ValueTask Play(GameClient client, RoomActor room, in ClientMessage message)
    {
        var now = session.Now;
        RoomInput input;
        switch (message.Type)
        {
            case ClientMessageType.Move:
                input = RoomInput.Move(client.Key, now, message.Left, message.Top, message.Direction, message.Status);
                break;
            case ClientMessageType.Attack:
                input = RoomInput.Attack(client.Key, now);
                break;
            case ClientMessageType.Chat:
                if (message.Text is null)
                {
                    return Fail(client, "Invalid field 'message': a text is required.", "message");
                }
                if (message.Text.Length > session.Options.MaxChatLength && TextRules.Characters(message.Text) > session.Options.MaxChatLength)
                {
                    return Fail(client, $"Invalid field 'message': at most {session.Options.MaxChatLength} characters.", "message");
                }
                input = RoomInput.Chat(client.Key, now, message.Text);
                break;
            case ClientMessageType.Rematch:
                input = RoomInput.Rematch(client.Key, now);
                break;
            default:
                input = RoomInput.Leave(client.Key, now);
                break;
        }
        room.Post(client, input);
        return client.InputPosted(session.Options.MaxPendingInputs);
    }

    /// <summary>A join, a resume or a spectate: the client's way into a room.</summary>
    private ValueTask Enter(GameClient client, in ClientMessage message)
    {
        if (client.Room is not null)
        {
            return Fail(client, "Already joined: send leave first.");
        }
        var options = session.Options;
        switch (message.Type)
        {
            case ClientMessageType.Resume:
                if (string.IsNullOrEmpty(message.Token))
                {
                    return Fail(client, "Invalid field 'token': the resume token from the last welcome is required.", "token");
                }
                if (!session.Resume(client, message.Token, message.Seq))
                {
                    return Fail(client, RoomTexts.CannotResume, "token");
                }
                return client.InputPosted(options.MaxPendingInputs);
            case ClientMessageType.Spectate:
                if (ValidRoomName(message.Room) is not { } watched)
                {
                    return Fail(client, RoomNameRule(), "room");
                }
                if (!session.Spectate(client, watched, TextRules.ValidName(message.Name, options.MaxNameLength) ?? "Spectator"))
                {
                    return Fail(client, $"Cannot spectate: no room named '{watched}' is open.", "room");
                }
                return client.InputPosted(options.MaxPendingInputs);
        }
        // The seed chat room calls a player without a name "Anonymous".
        if (TextRules.ValidName(message.Name ?? "Anonymous", options.MaxNameLength) is not { } name)
        {
            return Fail(client, RoomTexts.InvalidName(options), "name");
        }
        var sprite = message.Sprite ?? options.SpriteNames[0];
        if (!options.SpriteNames.Contains(sprite))
        {
            return Fail(client, $"Invalid field 'sprite': one of {string.Join(", ", options.SpriteNames)}.", "sprite");
        }
        string? roomName = null;
        if (message.Room is not null && (roomName = ValidRoomName(message.Room)) is null)
        {
            return Fail(client, RoomNameRule(), "room");
        }
        if (profiles is null)
        {
            return Seat(client, name, sprite, roomName, profile: null);
        }
        var lookup = profiles.ForJoinAsync(message.Profile, name, CancellationToken.None);
        return lookup.IsCompletedSuccessfully ? Seat(client, name, sprite, roomName, lookup.Result) : SeatWhenFoundAsync(client, name, sprite, roomName, lookup);
    }

    /// <summary>
    /// The read loop waits for the profile (without a thread: storage answers or times out, see
    /// StorageOptions.LookupTimeout); nothing is read from this client meanwhile, and no room waits. A connection
    /// that drops meanwhile is still seated first: its close is handled only after this read loop's handler
    /// returns, and then holds or frees the seat as any other.
    /// </summary>
    private async ValueTask SeatWhenFoundAsync(GameClient client, string name, string sprite, string? roomName, ValueTask<PlayerProfile?> lookup) =>
        await Seat(client, name, sprite, roomName, await lookup);

    private ValueTask Seat(GameClient client, string name, string sprite, string? roomName, PlayerProfile? profile)
    {
        if (!session.Join(client, name, sprite, roomName, profile))
        {
            return Answer(client, new ErrorMessage(RoomTexts.RoomFull, Code: -1));
        }
        return client.InputPosted(session.Options.MaxPendingInputs);
    }

    private string? ValidRoomName(string? room) => TextRules.ValidName(room, session.Options.MaxRoomNameLength);

    private string RoomNameRule() => $"Invalid field 'room': 1-{session.Options.MaxRoomNameLength} characters, no control characters.";

    private static string FieldRule(string field) => field switch
    {
        "left" or "top" => "a number of pixels is required.",
        "direction" => "one of UP, DOWN, LEFT, RIGHT.",
        "status" => "one of STAY, MOVE.",
        "seq" => "a whole number, 0 or more, is required.",
        _ => "a text is required.",
    };

    /// <summary>An error answer: in the room's numbered stream once the client is in one, directly before.</summary>
    private ValueTask Fail(GameClient client, string message, string? field = null)
    {
        if (client.Room is { } room)
        {
            room.Post(client, RoomInput.Invalid(client.Key, session.Now, message, field));
            return client.InputPosted(session.Options.MaxPendingInputs);
        }
        return Answer(client, new ErrorMessage(message, field));
    }

    /// <summary>An error for a client outside any room, unnumbered.</summary>
    private ValueTask Answer(GameClient client, ErrorMessage error)
    {
        session.Stats.Error();
        var frame = RoomMessageWriter.Frame(error, sequenced: false);
        if (client.Connection.TrySend(frame))
        {
            // Counted where it is queued, as the rooms count theirs: every message out once.
            session.Stats.MessagesSent(1);
        }
        frame.Release();
        return ValueTask.CompletedTask;
    }
}
