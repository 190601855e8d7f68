namespace AspNetBuiltIn;

/// <summary>
/// Everyone connected to /ws/chat, joined or not (the seed broadcasts to every connection). A broadcast
/// hands the same byte array to each client's queue under the lock, which never awaits: queuing is
/// synchronous, so the lock is short and every client sees broadcasts in the same order.
/// </summary>
internal sealed class ChatRoom
{
    private readonly Lock _gate = new();
    private readonly List<ChatClient> _clients = [];

    public void Add(ChatClient client)
    {
        lock (_gate)
        {
            client.Slot = _clients.Count;
            _clients.Add(client);
        }
    }

    public void Remove(ChatClient client)
    {
        lock (_gate)
        {
            var slot = client.Slot;
            if (slot < 0)
            {
                return;
            }
            var last = _clients[^1];
            _clients[slot] = last;
            last.Slot = slot;
            _clients.RemoveAt(_clients.Count - 1);
            client.Slot = -1;
        }
    }

    public void Broadcast(byte[] payload)
    {
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Enqueue(payload);
            }
        }
    }
}
