using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Tests.Infrastructure;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Tests.WebSockets.Connection;

/// <summary>Keep-alive, slow clients and shutdown, over real sockets on a real Kestrel.</summary>
public sealed class ConnectionLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static WsGameServer StartServer(params (string Key, string Value)[] settings)
    {
        var server = new WsGameServer(settings.ToDictionary(s => "WsGame:WebSockets:" + s.Key, s => (string?)s.Value));
        _ = server.BaseAddress;
        return server;
    }

    [Fact]
    public async Task An_idle_connection_is_pinged_and_stays_open_while_it_answers()
    {
        await using var server = StartServer(("KeepAliveInterval", "00:00:00.200"), ("KeepAliveTimeout", "00:00:00.500"));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        for (var round = 0; round < 3; round++)
        {
            var ping = await client.ReceiveFrameAsync(Patience);
            Assert.Equal(WebSocketOpcode.Ping, ping.Opcode);
            await client.SendFrameAsync(WebSocketOpcode.Pong, ping.Payload);
        }

        await client.SendTextAsync("still here");
        var echo = await client.ReceiveMessageAsync(Patience);
        Assert.Equal("still here", Encoding.UTF8.GetString(echo.Payload));
    }

    [Fact]
    public async Task A_connection_that_never_answers_a_ping_is_closed_with_1011()
    {
        await using var server = StartServer(("KeepAliveInterval", "00:00:00.200"), ("KeepAliveTimeout", "00:00:00.400"));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        var ping = await client.ReceiveFrameAsync(Patience);
        var close = await client.ReceiveCloseAsync(Patience);

        Assert.Equal(WebSocketOpcode.Ping, ping.Opcode);
        Assert.Equal(1011, close.Code);
        Assert.True(await client.WaitForServerToCloseTcpAsync(Patience));
    }

    [Fact]
    public async Task Stopping_the_server_sends_1001_to_open_connections()
    {
        var server = StartServer(("CloseTimeout", "00:00:02"));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        var stopping = Task.Run(async () => await server.DisposeAsync());
        var close = await client.ReceiveCloseAsync(Patience);
        await client.SendCloseAsync(1001);

        Assert.Equal(1001, close.Code);
        Assert.True(await client.WaitForServerToCloseTcpAsync(Patience));
        await stopping.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_client_that_ignores_our_close_frame_is_dropped_after_the_close_timeout()
    {
        var server = StartServer(("CloseTimeout", "00:00:00.500"));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        var stopping = Task.Run(async () => await server.DisposeAsync());
        var close = await client.ReceiveCloseAsync(Patience);

        Assert.Equal(1001, close.Code);
        Assert.True(await client.WaitForServerToCloseTcpAsync(Patience));
        await stopping.WaitAsync(Patience);
    }

    [Fact]
    public async Task Bytes_in_and_out_are_counted_frame_for_frame()
    {
        await using var server = StartServer();
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        await client.SendBinaryAsync(new byte[1000]); // masked client frame: 4 + 4 + 1000 bytes
        await client.ReceiveMessageAsync(Patience);   // server frame: 4 + 1000 bytes

        await WaitUntilAsync(() => registry.BytesIn == 1008 && registry.BytesOut == 1004,
            $"counted {registry.BytesIn} in and {registry.BytesOut} out");
    }

    [Fact]
    public async Task A_protocol_violation_is_logged_as_a_warning_naming_the_broken_rule()
    {
        await using var server = StartServer();
        await using var client = await RawWebSocketClient.ConnectAsync(server.WebSocketUri("/ws/echo"));

        await client.SendFrameAsync(WebSocketOpcode.Text, "unmasked"u8.ToArray(), mask: false);
        var close = await client.ReceiveCloseAsync(Patience);

        Assert.Equal(1002, close.Code);
        await WaitUntilAsync(
            () => server.Problems.Events.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("UnmaskedClientFrame")),
            "no warning named the broken rule");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
