using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.WebSockets.Interop;

/// <summary>
/// The echo endpoint as clients written by other people see it: .NET's ClientWebSocket, Python's
/// <c>websockets</c> (Debian's python3-websockets) and Node's <c>ws</c>, against the real app on real Kestrel.
/// The Python and Node clients are scripts under WsGame.Api.Tests/Clients, run as child processes.
/// </summary>
public class IndependentClientTests : IClassFixture<IndependentClientTests.Server>
{
    public class Server : IDisposable
    {
        public Server()
            : this(useTransportPipe: true)
        {
        }

        protected Server(bool useTransportPipe) =>
            App = new WsGameServer(new Dictionary<string, string?> { ["WsGame:WebSockets:UseTransportPipe"] = useTransportPipe ? "true" : "false" });

        public WsGameServer App { get; }

        public void Dispose() => App.Dispose();
    }

    /// <summary>The same app, its connections going through the upgrade stream instead of the transport pipe.</summary>
    public sealed class UpgradeStreamServer() : Server(useTransportPipe: false);

    /// <summary>Payload lengths at each frame-length encoding boundary, and the default message limit.</summary>
    public static TheoryData<int> MessageSizes => new() { 1, 125, 126, 65535, 65536, 1048576 };

    private const string InstallHint = "run `bash scripts/install-test-deps.sh` from the repository root";
    private const string PythonPath = "/usr/bin/python3";
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ClientProcessTimeout = TimeSpan.FromSeconds(90);
    private static readonly string ClientsFolder = Path.Combine(RepositoryPaths.Root, "WsGame.Api.Tests", "Clients");

    private readonly Uri _echoUri;

    public IndependentClientTests(Server server) => _echoUri = server.App.WebSocketUri("/ws/echo");

    [Theory]
    [MemberData(nameof(MessageSizes))]
    public async Task ClientWebSocket_gets_text_and_binary_messages_back_identically_then_closes_normally(int size)
    {
        using var timeout = new CancellationTokenSource(ExchangeTimeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_echoUri, timeout.Token);

        var text = Encoding.UTF8.GetBytes(MixedText(size));
        await socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var textEcho = await ReceiveMessageAsync(socket, timeout.Token);

        var binary = RandomBytes(size, seed: size);
        await socket.SendAsync(binary, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var binaryEcho = await ReceiveMessageAsync(socket, timeout.Token);

        AssertEcho(WebSocketMessageType.Text, text, textEcho, $"text message of {size} bytes");
        AssertEcho(WebSocketMessageType.Binary, binary, binaryEcho, $"binary message of {size} bytes");
        await CloseNormallyAsync(socket, timeout.Token);
    }

    [Theory]
    [InlineData(126)]
    [InlineData(65536)]
    [InlineData(1048576)]
    public async Task Fragmented_messages_are_reassembled_and_echoed_identically(int size)
    {
        // 1001-byte fragments: text fragments end in the middle of multi-byte characters, which RFC 6455 allows.
        const int fragmentSize = 1001;
        using var timeout = new CancellationTokenSource(ExchangeTimeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_echoUri, timeout.Token);

        var text = Encoding.UTF8.GetBytes(MixedText(size));
        await SendInFragmentsAsync(socket, text, WebSocketMessageType.Text, fragmentSize, timeout.Token);
        var textEcho = await ReceiveMessageAsync(socket, timeout.Token);

        var binary = RandomBytes(size, seed: -size);
        await SendInFragmentsAsync(socket, binary, WebSocketMessageType.Binary, fragmentSize, timeout.Token);
        var binaryEcho = await ReceiveMessageAsync(socket, timeout.Token);

        AssertEcho(WebSocketMessageType.Text, text, textEcho, $"text message of {size} bytes in fragments");
        AssertEcho(WebSocketMessageType.Binary, binary, binaryEcho, $"binary message of {size} bytes in fragments");
        await CloseNormallyAsync(socket, timeout.Token);
    }

    [Fact]
    public async Task Concurrent_connections_each_get_only_their_own_echoes_in_order()
    {
        const int connections = 8;
        const int messagesPerConnection = 50;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var conversations = Enumerable.Range(0, connections)
            .Select(id => ConverseAsync(id, messagesPerConnection, timeout.Token))
            .ToArray();
        var results = await Task.WhenAll(conversations);

        for (var id = 0; id < connections; id++)
        {
            var (sent, received, closeStatus) = results[id];
            Assert.True(sent.Count == received.Count, $"connection {id}: sent {sent.Count} messages, got {received.Count} echoes");
            for (var n = 0; n < sent.Count; n++)
            {
                AssertEcho(sent[n].Type, sent[n].Payload, received[n], $"connection {id}, message {n}");
            }
            Assert.True(closeStatus == WebSocketCloseStatus.NormalClosure,
                $"connection {id}: the server answered the normal close with {closeStatus?.ToString() ?? "no status"}");
        }
    }

    [Fact]
    public async Task Python_websockets_client_passes_every_echo_check()
    {
        var script = Path.Combine(ClientsFolder, "python", "echo_client.py");
        Assert.True(File.Exists(script), $"missing client script {script}");
        Assert.True(File.Exists(PythonPath), $"{PythonPath} not found; {InstallHint} (Debian's python3-websockets)");
        var probe = await ClientProcess.RunAsync(PythonPath, ["-c", "import websockets"], Path.GetDirectoryName(script)!, TimeSpan.FromSeconds(30));
        Assert.True(probe.ExitCode == 0,
            $"{PythonPath} cannot import the websockets library; {InstallHint} (Debian's python3-websockets).\n{probe}");

        var run = await ClientProcess.RunAsync(PythonPath, [script, _echoUri.AbsoluteUri], Path.GetDirectoryName(script)!, ClientProcessTimeout);

        AssertClientPassed("Python websockets client", run);
    }

    [Fact]
    public async Task Node_ws_client_passes_every_echo_check()
    {
        var folder = Path.Combine(ClientsFolder, "node");
        var script = Path.Combine(folder, "echo_client.mjs");
        Assert.True(File.Exists(script), $"missing client script {script}");
        var node = FindOnPath("node");
        Assert.True(node is not null, "node is not on PATH; install Node.js (18 or later), then " + InstallHint);
        Assert.True(File.Exists(Path.Combine(folder, "node_modules", "ws", "package.json")),
            $"the ws package is not installed in {folder}; {InstallHint} (it runs `npm ci` there)");

        var run = await ClientProcess.RunAsync(node!, [script, _echoUri.AbsoluteUri], folder, ClientProcessTimeout);

        AssertClientPassed("Node ws client", run);
    }

    // ---- .NET client helpers ----

    private sealed record Message(WebSocketMessageType Type, byte[] Payload);

    private async Task<(List<Message> Sent, List<Message> Received, WebSocketCloseStatus? CloseStatus)> ConverseAsync(
        int id, int count, CancellationToken cancellation)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(_echoUri, cancellation);

        // Each message names its connection and number, so a crossed or reordered echo cannot go unnoticed.
        var sent = Enumerable.Range(0, count).Select(n => ConversationMessage(id, n)).ToList();
        var receiving = Task.Run(async () =>
        {
            var received = new List<Message>();
            for (var n = 0; n < count; n++)
            {
                received.Add(await ReceiveMessageAsync(socket, cancellation));
            }
            return received;
        }, cancellation);
        foreach (var message in sent)
        {
            await socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellation);
        }
        var echoes = await receiving;

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation);
        return (sent, echoes, socket.CloseStatus);
    }

    private static Message ConversationMessage(int connection, int number)
    {
        var label = $"connection {connection} message {number} ";
        // Mostly small messages, every tenth one past 65535 bytes (64-bit length, several reads).
        var size = number % 10 == 9 ? 70_000 : label.Length + (number * 37 % 3000);
        if (number % 2 == 0)
        {
            var text = label + MixedText(size - label.Length);
            return new Message(WebSocketMessageType.Text, Encoding.UTF8.GetBytes(text));
        }
        var binary = RandomBytes(size, seed: connection * 1000 + number);
        Encoding.ASCII.GetBytes(label).CopyTo(binary, 0);
        return new Message(WebSocketMessageType.Binary, binary);
    }

    /// <summary>Reads frames until EndOfMessage; a close frame is returned as a message of type Close.</summary>
    private static async Task<Message> ReceiveMessageAsync(WebSocket socket, CancellationToken cancellation)
    {
        const int limit = 2 * 1048576;
        using var message = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketMessageType? type = null;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Message(WebSocketMessageType.Close,
                    Encoding.UTF8.GetBytes($"{result.CloseStatus} {result.CloseStatusDescription}"));
            }
            type ??= result.MessageType;
            Assert.True(type == result.MessageType, $"a {type} message continued as {result.MessageType}");
            message.Write(buffer, 0, result.Count);
            Assert.True(message.Length <= limit, $"echo grew past {limit} bytes without ending");
            if (result.EndOfMessage)
            {
                return new Message(type.Value, message.ToArray());
            }
        }
    }

    private static async Task SendInFragmentsAsync(
        WebSocket socket, byte[] payload, WebSocketMessageType type, int fragmentSize, CancellationToken cancellation)
    {
        for (var offset = 0; offset < payload.Length; offset += fragmentSize)
        {
            var length = Math.Min(fragmentSize, payload.Length - offset);
            var last = offset + length == payload.Length;
            await socket.SendAsync(payload.AsMemory(offset, length), type, last, cancellation);
        }
    }

    private static async Task CloseNormallyAsync(ClientWebSocket socket, CancellationToken cancellation)
    {
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellation);

        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    private static void AssertEcho(WebSocketMessageType type, byte[] sent, Message echo, string what)
    {
        if (echo.Type == WebSocketMessageType.Close)
        {
            Assert.Fail($"{what}: the server closed instead of echoing ({Encoding.UTF8.GetString(echo.Payload)})");
        }
        Assert.True(type == echo.Type, $"{what}: sent as {type}, echoed as {echo.Type}");
        Assert.True(sent.Length == echo.Payload.Length, $"{what}: echo has {echo.Payload.Length} bytes instead of {sent.Length}");
        var difference = sent.AsSpan().CommonPrefixLength(echo.Payload);
        Assert.True(difference == sent.Length, $"{what}: echo differs from byte {difference} on");
    }

    /// <summary>ASCII mixed with 2-, 3- and 4-byte UTF-8 characters, exactly <paramref name="utf8Bytes"/> long when encoded.</summary>
    private static string MixedText(int utf8Bytes)
    {
        string[] unit = ["a", "é", "€", "𝄞", "Z", "ñ", "中", "😀", " "];
        var text = new StringBuilder();
        var used = 0;
        for (var i = 0; ; i++)
        {
            var character = unit[i % unit.Length];
            var width = Encoding.UTF8.GetByteCount(character);
            if (used + width > utf8Bytes)
            {
                break;
            }
            text.Append(character);
            used += width;
        }
        text.Append('x', utf8Bytes - used);
        return text.ToString();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // ---- child process helpers ----

    private static void AssertClientPassed(string client, ClientProcess.Run run)
    {
        Assert.True(run.ExitCode == 0 && !run.TimedOut, $"{client} failed: {run}");
        Assert.True(run.StandardOutput.Contains("PASS: all echo checks succeeded"),
            $"{client} exited 0 without reporting that its checks passed: {run}");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>Every independent client again, with the connections going through the upgrade stream.</summary>
public sealed class IndependentClientOverUpgradeStreamTests(IndependentClientTests.UpgradeStreamServer server)
    : IndependentClientTests(server), IClassFixture<IndependentClientTests.UpgradeStreamServer>;
