using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WsGame.Bench;

/// <summary>
/// fan-out: the websocket-shootout broadcast test over the chat protocol. N clients join one room;
/// a few broadcasters each send a chat message, wait until every client (themselves included) got it,
/// and send the next. The completion time of a broadcast is when the last client received it. N grows
/// in steps (connections are kept and more added) until the 95th percentile passes the limit; the
/// figure is the largest N that held.
/// </summary>
public static class FanOutScenario
{
    public static async Task<ScenarioResult> RunAsync(Arguments arguments)
    {
        var protocol = ChatProtocol.Parse(arguments.String("--protocol", "wsgame"));
        var uri = arguments.UrlWithPath(protocol.DefaultPath);
        var start = arguments.Int("--start", 100);
        var step = arguments.Int("--step", 100);
        var max = arguments.Int("--max", 10_000);
        var broadcasters = arguments.Int("--broadcasters", 4);
        var samples = arguments.Int("--samples", 100);
        var limitMs = arguments.Double("--limit-ms", 500);
        var lossTimeout = arguments.Seconds("--loss-timeout", 10);
        var joinTimeout = arguments.Seconds("--join-timeout", 30);
        var room = arguments.String("--room", "bench-fan-out");
        if (start < broadcasters || step < 1 || max < start)
        {
            throw new ArgumentException("fan-out needs --start >= --broadcasters, --step >= 1 and --max >= --start");
        }

        var result = new ScenarioResult();
        var connector = Connector.From(arguments, uri);
        var broadcasts = new FanOutBroadcasts(broadcasters);
        var members = new List<FanOutMember>();
        var loops = new List<Task>();
        var steps = new List<Dictionary<string, double>>();
        var sequences = new long[broadcasters];
        var cpu = arguments.Probe().StartCpu();
        var lost = 0;
        var held = 0;
        double heldP50 = double.NaN, heldP95 = double.NaN;
        var capped = false;
        var dropped = 0;
        try
        {
            for (var n = start; n <= max; n += step)
            {
                var (added, roomFull) = await AddMembersAsync(connector, protocol, room, broadcasts, members, loops, n - members.Count, joinTimeout);
                if (roomFull)
                {
                    // WsGame's RoomCapacity, not the latency, ended the climb: say so rather than call it a limit.
                    capped = true;
                    break;
                }
                if (!added)
                {
                    result.Failures.Add($"could not connect and join {n} clients (connections or joins failed)");
                    break;
                }

                var recorders = Enumerable.Range(0, broadcasters).Select(_ => new LatencyRecorder()).ToArray();
                var stepLost = await BroadcastAsync(members, broadcasts, sequences, recorders, samples, lossTimeout);
                lost += stepLost;
                var p50 = LatencyRecorder.Percentile(recorders, 50);
                var p95 = LatencyRecorder.Percentile(recorders, 95);
                steps.Add(new()
                {
                    ["clients"] = n,
                    ["p50_ms"] = p50,
                    ["p95_ms"] = p95,
                    ["p99_ms"] = LatencyRecorder.Percentile(recorders, 99),
                    ["broadcasts"] = recorders.Sum(r => r.Count),
                    ["lost"] = stepLost,
                });
                Console.Error.WriteLine($"fan-out: {n} clients, p50 {p50:F1} ms, p95 {p95:F1} ms, lost {stepLost}");
                if (stepLost > 0 || !(p95 <= limitMs))
                {
                    break;
                }
                (held, heldP50, heldP95) = (n, p50, p95);
                if (n < max && n + step > max)
                {
                    n = max - step; // the last step lands on max exactly
                }
            }
        }
        finally
        {
            cpu.Report(result);
            dropped = members.Count(member => member.Dropped); // before we close them ourselves
            await BenchClient.CloseAllAsync(members.Select(member => member.Client), loops);
        }

        result["max_clients_held"] = held;
        result["p50_ms_at_max"] = heldP50;
        result["p95_ms_at_max"] = heldP95;
        result["messages_lost"] = lost;
        result["room_capped"] = capped ? 1 : 0;
        result.Details["steps"] = steps;
        result.Details["protocol"] = protocol.Name;
        result.FailIfAny(lost, "broadcasts some client never received");
        result.FailIfAny(dropped, "connections the server closed during the run");
        result.FailIfAny(members.Sum(m => m.Duplicates), "broadcasts received twice");
        result.FailIfAny(members.Sum(m => m.Errors), "error answers");
        result.FailIfAny(broadcasts.Late, "broadcasts that arrived after the loss timeout");
        return result;
    }

    /// <summary>Connects and joins <paramref name="count"/> more members; false when any failed; roomFull when the server refused for capacity.</summary>
    private static async Task<(bool Added, bool RoomFull)> AddMembersAsync(Connector connector, ChatProtocol protocol, string room,
        FanOutBroadcasts broadcasts, List<FanOutMember> members, List<Task> loops, int count, TimeSpan joinTimeout)
    {
        if (count <= 0)
        {
            return (true, false);
        }
        var failures = new StrongBox<int>();
        var roomFull = 0;
        var fresh = new FanOutMember?[count];
        var firstIndex = members.Count;
        var freshLoops = new Task?[count];
        await connector.ConnectManyAsync(count, async (client, index) =>
        {
            var member = new FanOutMember(client, $"b{firstIndex + index}", broadcasts);
            freshLoops[index] = Task.Run(member.ReceiveLoopAsync);
            await client.SendAsync(protocol.JoinFrame(member.Name, room), CancellationToken.None);
            try
            {
                await member.Joined.WaitAsync(joinTimeout);
                fresh[index] = member;
            }
            catch (RoomFullException)
            {
                Interlocked.Increment(ref roomFull);
                throw new InvalidOperationException("room full");
            }
        }, failures, CancellationToken.None);
        foreach (var member in fresh)
        {
            if (member is not null)
            {
                members.Add(member);
            }
        }
        loops.AddRange(freshLoops.OfType<Task>());
        return (failures.Value == 0, roomFull > 0);
    }

    /// <summary>Each broadcaster sends its share of <paramref name="samples"/> one at a time (after one warm-up); returns the number lost.</summary>
    private static async Task<int> BroadcastAsync(List<FanOutMember> members, FanOutBroadcasts broadcasts, long[] sequences,
        LatencyRecorder[] recorders, int samples, TimeSpan lossTimeout)
    {
        var recipients = members.Count;
        var perBroadcaster = Math.Max(1, samples / broadcasts.Broadcasters);
        var lost = 0;
        await Task.WhenAll(Enumerable.Range(0, broadcasts.Broadcasters).Select(b => Task.Run(async () =>
        {
            // The warm-up also flushes the joins' announcements, which the room orders before it.
            for (var i = -1; i < perBroadcaster; i++)
            {
                var sequence = ++sequences[b];
                var done = broadcasts.Arm(b, sequence, recipients);
                var sent = Stopwatch.GetTimestamp();
                await members[b].Client.SendAsync(ChatProtocol.ChatFrame(FanOutBroadcasts.Text(b, sequence)), CancellationToken.None);
                if (await Task.WhenAny(done, Task.Delay(lossTimeout)) != done)
                {
                    broadcasts.Disarm(b);
                    Interlocked.Increment(ref lost);
                    continue;
                }
                if (i >= 0)
                {
                    recorders[b].Record(sent, done.Result);
                }
            }
        })));
        return lost;
    }
}
