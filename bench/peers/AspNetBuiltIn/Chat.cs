using System.Net.WebSockets;

namespace AspNetBuiltIn;

/// <summary>/ws/chat: the seed chat room (join, chat, status and error messages, broadcast to all).</summary>
internal static class Chat
{
    public static async Task RunAsync(WebSocket socket, ChatRoom room, int limit, int queueLimit, CancellationToken stopping)
    {
        var client = new ChatClient(socket, queueLimit);
        var sender = client.RunSenderAsync();
        room.Add(client);
        WebSocketCloseStatus? closeReply = null;
        using var buffer = new MessageBuffer();
        try
        {
            while (true)
            {
                var message = await buffer.ReceiveAsync(socket, limit, stopping);
                if (message.Type == WebSocketMessageType.Close)
                {
                    closeReply = socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
                    break;
                }
                if (message.TooBig)
                {
                    closeReply = WebSocketCloseStatus.MessageTooBig;
                    break;
                }
                Handle(client, room, buffer.Span(message.Length));
                buffer.Release();
            }
        }
        catch (Exception exception) when (Peer.IsDisconnect(exception))
        {
            client.Abort();
        }
        finally
        {
            room.Remove(client);
            if (client.Name is { } name)
            {
                room.Broadcast(ChatProtocol.Status($"{name} left the chat."));
            }
            client.Finish(closeReply);
        }
        await sender;
    }

    private static void Handle(ChatClient client, ChatRoom room, ReadOnlySpan<byte> json)
    {
        var request = ChatProtocol.Parse(json);
        switch (request.Kind)
        {
            case ChatRequestKind.InvalidJson:
                client.Enqueue(ChatProtocol.InvalidJson);
                break;
            case ChatRequestKind.Join:
                // Joining again renames, as in the seed.
                client.Name = request.Name!;
                room.Broadcast(ChatProtocol.Status($"{client.Name} joined the chat."));
                break;
            case ChatRequestKind.Chat when client.Name is { } sender:
                room.Broadcast(ChatProtocol.Chat(sender, json.Slice(request.MessageStart, request.MessageLength)));
                break;
            default:
                client.Enqueue(ChatProtocol.InvalidFormat);
                break;
        }
    }
}
