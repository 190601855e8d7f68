using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace WsGame.Bench;

/// <summary>
/// Opens many connections at a bounded rate: a burst of thousands of handshakes at once measures the
/// accept queue, not the scenario, and can overflow the listen backlog. Past
/// <paramref name="perSourceAddress"/> connections it binds further ones to 127.0.0.2, 127.0.0.3, ...
/// because one source address has only the kernel's ephemeral port range (about 28 000 ports) towards
/// one server port.
/// </summary>
public sealed class Connector(Uri uri, double perSecond, int perSourceAddress = 20_000, int bufferSize = 4096)
{
    private const int MaxInFlight = 64;

    /// <summary>Connections opened so far: they decide the next one's source address.</summary>
    private int _opened;

    public static Connector From(Arguments arguments, Uri uri, int bufferSize = 4096) =>
        new(uri, arguments.Double("--connect-rate", 2000), arguments.Int("--per-source-address", 20_000), bufferSize);

    /// <summary>Opens one connection, from the next source address in turn.</summary>
    public async Task<BenchClient> ConnectAsync(CancellationToken cancellation)
    {
        var index = Interlocked.Increment(ref _opened) - 1;
        return await BenchClient.ConnectAsync(uri, cancellation, SourceAddress(index), bufferSize);
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections, at most <c>perSecond</c> a second and 64 handshakes at
    /// a time, and hands each to <paramref name="opened"/> (which may send a join and wait for its answer).
    /// Returns the clients in order; a slot is null where the connection or <paramref name="opened"/> failed,
    /// and <paramref name="failures"/> counts those.
    /// </summary>
    public async Task<BenchClient?[]> ConnectManyAsync(int count, Func<BenchClient, int, Task> opened, StrongBox<int> failures,
        CancellationToken cancellation)
    {
        var clients = new BenchClient?[count];
        using var gate = new SemaphoreSlim(MaxInFlight);
        var started = Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > started.Elapsed)
            {
                await Task.Delay(due - started.Elapsed, cancellation);
            }
            await gate.WaitAsync(cancellation);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                BenchClient? client = null;
                try
                {
                    client = await ConnectAsync(cancellation);
                    await opened(client, index);
                    clients[index] = client;
                }
                catch (Exception exception) when (exception is SocketException or IOException or InvalidOperationException or OperationCanceledException or TimeoutException)
                {
                    Interlocked.Increment(ref failures.Value);
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                    }
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(tasks);
        return clients;
    }

    /// <summary>Null (the kernel's choice, 127.0.0.1 towards a 127.x server) for the first block, then 127.0.0.2, ...</summary>
    private IPAddress? SourceAddress(int index)
    {
        var block = index / perSourceAddress;
        if (block == 0 || !IPAddress.TryParse(uri.Host, out var target) || target.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }
        if (block > 250)
        {
            throw new InvalidOperationException("more connections than 250 source addresses can carry");
        }
        return new IPAddress([127, 0, 0, (byte)(1 + block)]);
    }
}
