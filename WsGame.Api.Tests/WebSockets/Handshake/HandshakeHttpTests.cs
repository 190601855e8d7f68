using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.WebSockets.Handshake;

/// <summary>
/// The opening handshake against the real server on Kestrel, as raw HTTP over a socket: what the
/// client sees on the wire for an acceptance and for each refusal.
/// </summary>
public sealed class HandshakeHttpTests : IClassFixture<HandshakeHttpTests.Server>
{
    private const string EchoPath = "/ws/echo";
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /// <summary>One server with two subprotocols, one configured origin and a 1-second handshake timeout.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public WsGameServer App { get; } = new(new Dictionary<string, string?>
        {
            ["WsGame:WebSockets:SubProtocols:0"] = "chat.v2",
            ["WsGame:WebSockets:SubProtocols:1"] = "chat.v1",
            ["WsGame:WebSockets:AllowedOrigins:0"] = "https://friend.example",
            ["WsGame:WebSockets:HandshakeTimeout"] = "00:00:01",
            ["WsGame:WebSockets:CloseTimeout"] = "00:00:01",
        });

        public Task InitializeAsync()
        {
            _ = App.BaseAddress; // starts Kestrel
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private readonly Uri _echo;
    private readonly string _host;

    public HandshakeHttpTests(Server server)
    {
        _echo = server.App.WebSocketUri(EchoPath);
        _host = $"{_echo.Host}:{_echo.Port}";
    }

    /// <summary>A valid upgrade request to the echo endpoint with the RFC key, changed by <paramref name="headers"/> (null removes).</summary>
    private Task<RawHttpResponse> UpgradeAsync(params (string Name, string? Value)[] headers) =>
        RawWebSocketClient.SendRawHttpRequestAsync(
            _echo,
            RawWebSocketClient.BuildHandshakeRequest(_echo, RfcKey, headers.Select(h => new KeyValuePair<string, string?>(h.Name, h.Value))));

    /// <summary>A request written out in full (request line and header lines), ended with the empty line.</summary>
    private Task<RawHttpResponse> SendAsync(string requestLine, params string[] headerLines) =>
        RawWebSocketClient.SendRawHttpRequestAsync(_echo, requestLine + "\r\n" + string.Concat(headerLines.Select(line => line + "\r\n")) + "\r\n");

    private static void AssertRefused(RawHttpResponse response, int status, params string[] bodyMentions)
    {
        Assert.True(status == response.StatusCode, $"expected {status}, got '{response.StatusLine}' with body '{response.BodyText}'");
        Assert.StartsWith("text/plain", response.Header("Content-Type"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
        foreach (var mention in bodyMentions)
        {
            Assert.Contains(mention, response.BodyText, StringComparison.OrdinalIgnoreCase);
        }
    }

    // ---- Acceptance ----------------------------------------------------------------------------

    [Fact]
    public async Task Valid_upgrade_gets_101_with_the_rfc_accept_value()
    {
        var response = await UpgradeAsync();

        Assert.Equal(101, response.StatusCode);
        Assert.Equal("websocket", response.Header("Upgrade"), ignoreCase: true);
        Assert.Contains("upgrade", response.Header("Connection") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal(RfcAccept, response.Header("Sec-WebSocket-Accept"));
        Assert.Null(response.Header("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Connection_keep_alive_upgrade_list_is_accepted()
    {
        var response = await UpgradeAsync(("Connection", "keep-alive, Upgrade"));

        Assert.Equal(101, response.StatusCode);
        Assert.Equal(RfcAccept, response.Header("Sec-WebSocket-Accept"));
    }

    [Fact]
    public async Task Websocket_client_from_the_base_library_connects()
    {
        using var client = new System.Net.WebSockets.ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        await client.ConnectAsync(_echo, timeout.Token);

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);
        await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    // ---- Refusals ------------------------------------------------------------------------------

    [Fact]
    public async Task Plain_get_gets_426_with_version_13_and_a_body_saying_it_is_a_websocket_endpoint()
    {
        var response = await SendAsync($"GET {EchoPath} HTTP/1.1", $"Host: {_host}");

        AssertRefused(response, 426, "WebSocket");
        AssertAdvertisesVersionAndUpgrade(response);
    }

    [Fact]
    public async Task Plain_get_through_HttpClient_gets_426()
    {
        using var http = new HttpClient { BaseAddress = new UriBuilder(_echo) { Scheme = "http" }.Uri };

        using var response = await http.GetAsync(EchoPath);

        Assert.Equal(426, (int)response.StatusCode);
        Assert.Equal("13", response.Headers.GetValues("Sec-WebSocket-Version").Single());
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_upgrade_gets_400_naming_GET()
    {
        var response = await SendAsync(
            $"POST {EchoPath} HTTP/1.1",
            $"Host: {_host}", "Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {RfcKey}", "Sec-WebSocket-Version: 13", "Content-Length: 0");

        AssertRefused(response, 400, "GET", "POST");
    }

    [Fact]
    public async Task Http_1_0_upgrade_gets_400_naming_HTTP_1_1()
    {
        var response = await SendAsync(
            $"GET {EchoPath} HTTP/1.0",
            $"Host: {_host}", "Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {RfcKey}", "Sec-WebSocket-Version: 13");

        AssertRefused(response, 400, "HTTP/1.1");
    }

    [Fact]
    public async Task Upgrade_to_something_else_gets_400_naming_the_upgrade_header()
    {
        AssertRefused(await UpgradeAsync(("Upgrade", "foo/2")), 400, "Upgrade", "websocket");
    }

    [Fact]
    public async Task Connection_without_upgrade_gets_400_naming_the_connection_header()
    {
        AssertRefused(await UpgradeAsync(("Connection", "keep-alive")), 400, "Connection", "Upgrade");
    }

    [Fact]
    public async Task Missing_key_gets_400_naming_the_key()
    {
        AssertRefused(await UpgradeAsync(("Sec-WebSocket-Key", null)), 400, "Sec-WebSocket-Key");
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA=")] // 17 bytes
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!==")]
    public async Task Invalid_key_gets_400_naming_the_key(string key)
    {
        AssertRefused(await UpgradeAsync(("Sec-WebSocket-Key", key)), 400, "Sec-WebSocket-Key");
    }

    [Fact]
    public async Task Duplicate_key_header_gets_400_naming_the_key()
    {
        var response = await SendAsync(
            $"GET {EchoPath} HTTP/1.1",
            $"Host: {_host}", "Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {RfcKey}", $"Sec-WebSocket-Key: {RfcKey}", "Sec-WebSocket-Version: 13");

        AssertRefused(response, 400, "Sec-WebSocket-Key");
    }

    [Fact]
    public async Task Missing_version_gets_426_with_version_13()
    {
        var response = await UpgradeAsync(("Sec-WebSocket-Version", null));

        AssertRefused(response, 426, "Sec-WebSocket-Version", "13");
        AssertAdvertisesVersionAndUpgrade(response);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("12")]
    public async Task Old_version_gets_426_with_version_13(string version)
    {
        var response = await UpgradeAsync(("Sec-WebSocket-Version", version));

        AssertRefused(response, 426, "Sec-WebSocket-Version", "13");
        AssertAdvertisesVersionAndUpgrade(response);
    }

    [Fact]
    public async Task Refused_origin_gets_403_naming_the_origin()
    {
        AssertRefused(await UpgradeAsync(("Origin", "https://evil.example")), 403, "Origin", "https://evil.example");
    }

    [Theory]
    [InlineData("https://friend.example")]
    [InlineData("http://localhost:5173")]
    public async Task Allowed_origin_gets_101(string origin)
    {
        var response = await UpgradeAsync(("Origin", origin));

        Assert.Equal(101, response.StatusCode);
        Assert.Equal(RfcAccept, response.Header("Sec-WebSocket-Accept"));
    }

    [Fact]
    public async Task Same_host_origin_gets_101()
    {
        var response = await UpgradeAsync(("Origin", $"http://{_host}"));

        Assert.Equal(101, response.StatusCode);
    }

    // ---- Subprotocols --------------------------------------------------------------------------

    [Theory]
    [InlineData("chat.v1", "chat.v1")]
    [InlineData("chat.v2", "chat.v2")]
    [InlineData("chat.v1, chat.v2", "chat.v2")] // the server's preference
    [InlineData("other, chat.v1", "chat.v1")]
    public async Task Offered_subprotocol_the_server_speaks_is_negotiated(string offered, string expected)
    {
        var response = await UpgradeAsync(("Sec-WebSocket-Protocol", offered));

        Assert.Equal(101, response.StatusCode);
        Assert.Equal(expected, response.Header("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Subprotocol_offered_on_several_header_lines_is_negotiated()
    {
        var response = await SendAsync(
            $"GET {EchoPath} HTTP/1.1",
            $"Host: {_host}", "Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {RfcKey}", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: other", "Sec-WebSocket-Protocol: chat.v1");

        Assert.Equal(101, response.StatusCode);
        Assert.Equal("chat.v1", response.Header("Sec-WebSocket-Protocol"));
    }

    [Fact]
    public async Task Unknown_subprotocol_is_not_echoed_and_the_handshake_succeeds()
    {
        var response = await UpgradeAsync(("Sec-WebSocket-Protocol", "mqtt, chat.v3"));

        Assert.Equal(101, response.StatusCode);
        Assert.Null(response.Header("Sec-WebSocket-Protocol"));
    }

    // ---- Not claimed / timeouts -----------------------------------------------------------------

    [Fact]
    public async Task Upgrade_request_to_a_non_websocket_path_is_not_claimed()
    {
        var health = new UriBuilder(_echo) { Path = "/health" }.Uri;

        var response = await RawWebSocketClient.SendRawHttpRequestAsync(health, RawWebSocketClient.BuildHandshakeRequest(health, RfcKey));

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
        Assert.Contains("Healthy", response.BodyText);
    }

    [Fact]
    public async Task Client_that_stops_in_the_middle_of_the_request_line_is_disconnected_after_the_handshake_timeout()
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(_echo.Host, _echo.Port);
        var stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws/ec"));

        var closed = await WaitForCloseAsync(stream, TimeSpan.FromSeconds(5));

        Assert.True(closed, $"the server kept the connection open for {clock.Elapsed.TotalSeconds:0.0} s");
        // Closed because of the timeout (1 s), not at once.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.5), $"closed after only {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static async Task<bool> WaitForCloseAsync(NetworkStream stream, TimeSpan limit)
    {
        using var deadline = new CancellationTokenSource(limit);
        var scratch = new byte[4096];
        try
        {
            // The server may answer 408 before closing: read and drop until the end of the stream.
            while (await stream.ReadAsync(scratch, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    /// <summary>RFC 6455 section 4.2.2: a 426 names the version the server speaks (and, as any 426, what to upgrade to).</summary>
    private static void AssertAdvertisesVersionAndUpgrade(RawHttpResponse response)
    {
        Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
        Assert.Equal("websocket", response.Header("Upgrade"), ignoreCase: true);
    }
}
