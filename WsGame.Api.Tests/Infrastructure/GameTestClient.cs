using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// A player over a real ClientWebSocket speaking the game's JSON. Every message received is kept
/// in order, so a test can wait for the first message of a type (skipping others) or look back.
/// Every wait has a timeout, so a test never hangs.
/// </summary>
public sealed class GameTestClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _unread = [];
    private readonly byte[] _buffer = new byte[64 * 1024];

    public List<JsonObject> Received { get; } = [];

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static Task<GameTestClient> ConnectAsync(WsGameServer server) => ConnectAsync(server.WebSocketUri("/ws"));

    /// <summary>Connects to a server's <c>/ws</c> by address (a server in its own process).</summary>
    public static async Task<GameTestClient> ConnectAsync(Uri uri)
    {
        var client = new GameTestClient();
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        return client;
    }

    /// <summary>Connects and joins (with a profile token from an earlier welcome, if given); returns the welcome.</summary>
    public static Task<(GameTestClient Client, JsonObject Welcome)> JoinAsync(WsGameServer server, string name, string? room = null, string? sprite = null, string? profile = null) =>
        JoinAsync(server.WebSocketUri("/ws"), name, room, sprite, profile);

    public static async Task<(GameTestClient Client, JsonObject Welcome)> JoinAsync(Uri uri, string name, string? room = null, string? sprite = null, string? profile = null)
    {
        var client = await ConnectAsync(uri);
        await client.SendAsync(new { type = "join", name, room, sprite, profile });
        return (client, await client.ReceiveAsync("welcome"));
    }

    /// <summary>Connects and resumes a held seat; returns the answer (a resumed welcome, or an error).</summary>
    public static async Task<(GameTestClient Client, JsonObject Answer)> ResumeAsync(WsGameServer server, string token, long lastSeen)
    {
        var client = await ConnectAsync(server);
        await client.SendAsync(new { type = "resume", token, seq = lastSeen });
        return (client, await client.ReceiveAsync(where: m => TypeOf(m) is "welcome" or "error"));
    }

    /// <summary>The numbers of the numbered messages received so far, in arrival order.</summary>
    public List<long> Seqs => [.. Received.Where(m => m["seq"] is not null).Select(m => m["seq"]!.GetValue<long>())];

    /// <summary>The highest <c>seq</c> received so far (0: none).</summary>
    public long LastSeq => Seqs.DefaultIfEmpty(0).Max();

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, cts.Token);
    }

    /// <summary>The next message (in arrival order) whose type is <paramref name="type"/> (null: any), skipping others.</summary>
    public async Task<JsonObject> ReceiveAsync(string? type = null, Func<JsonObject, bool>? where = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var match = _unread.FindIndex(m => (type is null || TypeOf(m) == type) && (where is null || where(m)));
            if (match >= 0)
            {
                var found = _unread[match];
                _unread.RemoveRange(0, match + 1);
                return found;
            }
            try
            {
                var message = await ReadOneAsync(cts.Token)
                    ?? throw new InvalidOperationException($"server closed ({_socket.CloseStatus}) while waiting for '{type}'; got: {Describe()}");
                Received.Add(message);
                _unread.Add(message);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no '{type}' message within the timeout; got: {Describe()}");
            }
        }
    }

    /// <summary>Waits for the server to close the connection; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        using var cts = new CancellationTokenSource(DefaultTimeout);
        while (await ReadOneAsync(cts.Token) is { } message)
        {
            Received.Add(message);
            _unread.Add(message);
        }
        return _socket.CloseStatus;
    }

    public static string? TypeOf(JsonObject message) => message["type"]?.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The test is over; the server's side is checked by the tests that care.
            }
        }
        _socket.Dispose();
    }

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    private async Task<JsonObject?> ReadOneAsync(CancellationToken token)
    {
        using var text = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer, token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", token);
                }
                return null;
            }
            text.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(text.ToArray())!.AsObject();
            }
        }
    }

    private string Describe() => string.Join(" ", Received.TakeLast(8).Select(m => m.ToJsonString()));
}
