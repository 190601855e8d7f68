using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>
/// The connection middleware that answers a plain handshake before Kestrel's HTTP layer: a client sees the same
/// bytes either way, and whatever it does not take over (another first request, a handshake in pieces, a refusal)
/// Kestrel still serves on the same connection, from the very first byte.
/// </summary>
public sealed class UpgradeFastPathTests : IAsyncLifetime
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private readonly WsGameServer _fast = new(new Dictionary<string, string?>
    {
        ["WsGame:WebSockets:SubProtocols:0"] = "chat",
    }, ShortKeepAlive);

    private readonly WsGameServer _kestrelOnly = new(new Dictionary<string, string?>
    {
        ["WsGame:WebSockets:SubProtocols:0"] = "chat",
        ["WsGame:WebSockets:UpgradeFastPath"] = "false",
    }, ShortKeepAlive);

    /// <summary>Kestrel's time for a connection's first request, cut from 130 s so a test can see it end.</summary>
    private static void ShortKeepAlive(IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));

    public Task InitializeAsync()
    {
        _ = _fast.BaseAddress;
        _ = _kestrelOnly.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _fast.DisposeAsync();
        await _kestrelOnly.DisposeAsync();
    }

    private long TakenOver(WsGameServer server) => server.Services.GetRequiredService<UpgradeFastPath>().TakenOver;

    private static string Handshake(Uri server, string extraFields = "") =>
        $"GET /ws/echo?room=1 HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat\r\n{extraFields}\r\n";

    [Fact]
    public async Task A_plain_handshake_is_answered_here_with_the_bytes_kestrel_writes()
    {
        var before = TakenOver(_fast);

        var fast = await ExchangeAsync(_fast.BaseAddress, Handshake(_fast.BaseAddress));
        var kestrel = await ExchangeAsync(_kestrelOnly.BaseAddress, Handshake(_kestrelOnly.BaseAddress));

        Assert.Equal(before + 1, TakenOver(_fast));
        Assert.Equal(0, TakenOver(_kestrelOnly));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", fast);
        Assert.Equal(WithoutDate(kestrel), WithoutDate(fast));
    }

    [Fact]
    public async Task A_frame_sent_with_the_handshake_is_read_as_the_first_frame()
    {
        using var client = await ConnectAsync(_fast.BaseAddress);
        var stream = client.GetStream();
        var frame = RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, "early"u8);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Handshake(_fast.BaseAddress)).Concat(frame).ToArray());

        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(stream));
        var echo = await ReadExactlyAsync(stream, 7);
        Assert.Equal(new byte[] { 0x81, 5 }.Concat("early"u8.ToArray()), echo);
    }

    [Fact]
    public async Task Another_first_request_is_served_by_kestrel_and_the_connection_may_upgrade_after_it()
    {
        var before = TakenOver(_fast);
        using var client = await ConnectAsync(_fast.BaseAddress);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /favicon.svg HTTP/1.1\r\nHost: {_fast.BaseAddress.Authority}\r\n\r\n"));
        var file = await ReadHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 200", file);
        var length = int.Parse(file.Split("\r\n").Single(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim());
        await ReadExactlyAsync(stream, length);

        await stream.WriteAsync(Encoding.ASCII.GetBytes(Handshake(_fast.BaseAddress)));
        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(stream));
        Assert.Equal(before, TakenOver(_fast));
    }

    [Fact]
    public async Task A_handshake_sent_in_pieces_is_left_to_kestrel_which_accepts_it()
    {
        var before = TakenOver(_fast);
        using var client = await ConnectAsync(_fast.BaseAddress);
        var stream = client.GetStream();
        var request = Encoding.ASCII.GetBytes(Handshake(_fast.BaseAddress));

        await stream.WriteAsync(request.AsMemory(0, 20));
        await Task.Delay(200);
        await stream.WriteAsync(request.AsMemory(20));

        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(stream));
        Assert.Equal(before, TakenOver(_fast));
    }

    [Fact]
    public async Task A_refused_handshake_gets_the_middlewares_answer()
    {
        var before = TakenOver(_fast);

        var response = await ExchangeAsync(_fast.BaseAddress, Handshake(_fast.BaseAddress, "Origin: https://elsewhere.example\r\n"));

        Assert.StartsWith("HTTP/1.1 403", response);
        Assert.Equal(before, TakenOver(_fast));
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_at_kestrels_keep_alive_timeout_as_without_the_fast_path()
    {
        foreach (var server in new[] { _fast, _kestrelOnly })
        {
            using var client = await ConnectAsync(server.BaseAddress);
            var buffer = new byte[16];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

            var read = await client.GetStream().ReadAsync(buffer, deadline.Token);

            Assert.Equal(0, read); // closed by the server (1 s here), long before the test's deadline
        }
    }

    private static string WithoutDate(string head) =>
        string.Join("\r\n", head.Split("\r\n").Where(line => !line.StartsWith("Date:", StringComparison.Ordinal)));

    private static async Task<TcpClient> ConnectAsync(Uri server)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        return client;
    }

    /// <summary>Sends <paramref name="request"/> on a new connection and reads the head of the answer.</summary>
    private static async Task<string> ExchangeAsync(Uri server, string request)
    {
        using var client = await ConnectAsync(server);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        return await ReadHeadAsync(client.GetStream());
    }

    /// <summary>Reads up to and including the blank line, byte by byte, so nothing after it is taken.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, deadline.Token) == 0)
            {
                break;
            }
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var bytes = new byte[count];
        await stream.ReadExactlyAsync(bytes, deadline.Token);
        return bytes;
    }
}
