using System.Net;
using System.Net.Sockets;

namespace WsGame.Api.Tests.Browser;

/// <summary>
/// A loopback TCP proxy in front of the server, so a test can take one page's network away: it pipes bytes both
/// ways untouched (HTTP and WebSocket alike), and <see cref="Cut"/> aborts every connection through it at once
/// (a reset to both ends, as when Wi-Fi drops). While <see cref="Offline"/> it keeps listening but resets each
/// new connection, so the page's retries fail until the test puts the network back.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Socket> _open = [];
    private readonly List<Task> _links = [];
    private readonly Task _accepting;
    private volatile bool _offline;
    private int _accepted;
    private int _refused;

    private TcpProxy(int upstreamPort)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>The address to open the game at, through the proxy.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Connections piped to the server so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections reset on arrival while offline.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>While true, every new connection is reset as soon as it arrives.</summary>
    public bool Offline
    {
        get => _offline;
        set => _offline = value;
    }

    public static TcpProxy Start(int upstreamPort) => new(upstreamPort);

    /// <summary>Aborts every connection through the proxy now, both sides; returns how many there were.</summary>
    public int Cut()
    {
        Socket[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var socket in open)
        {
            Abort(socket);
        }
        return open.Length / 2;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        Task[] links;
        lock (_links)
        {
            links = [.. _links];
        }
        // Every pump ends once its sockets are gone; bounded anyway, so a stuck one cannot hang the test run.
        await Task.WhenAll([_accepting, .. links]).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_offline)
            {
                Interlocked.Increment(ref _refused);
                Abort(client);
                continue;
            }
            Interlocked.Increment(ref _accepted);
            var link = LinkAsync(client);
            lock (_links)
            {
                _links.RemoveAll(t => t.IsCompleted);
                _links.Add(link);
            }
        }
    }

    private async Task LinkAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        Track(client);
        Track(server);
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                connecting.CancelAfter(ConnectTimeout);
                await server.ConnectAsync(_upstream, connecting.Token);
            }
            var up = PumpAsync(client, server);
            var down = PumpAsync(server, client);
            // A broken direction breaks the link (the finally resets both ends); a half-closed one leaves the
            // other direction running until it ends too, as TCP does.
            var first = await Task.WhenAny(up, down);
            await first;
            await (first == up ? down : up);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Cut, or the server went away: both ends are reset below.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            Abort(client);
            Abort(server);
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>; an end of stream is passed on as a half-close.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
        }
    }

    private void Track(Socket socket)
    {
        lock (_open)
        {
            _open.Add(socket);
        }
    }

    /// <summary>Closes with a reset (linger 0): the other end sees the connection broken, not closed cleanly.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        socket.Dispose();
    }
}
