using System.Runtime.CompilerServices;

namespace WsGame.Bench;

/// <summary>
/// game: B bots play WsGame at /ws. Each moves at 10 Hz along a legal path and attacks now and then for
/// S seconds. Duel mode (the default) joins without a room name, so matchmaking pairs them (rooms of
/// WsGame:Game:RoomCapacity, 2 by default); <c>--arena</c> puts them in named rooms of <c>--room-size</c>
/// (the server needs that RoomCapacity and an arena that fits it). Measured: the delay from a bot's move
/// to an observer in its room seeing that position in an update, moves never seen, and server CPU. With
/// a view distance (WsGame:Game:ViewDistance, told in the welcome) only the movers the server promises to
/// show an observer, those within that distance, count towards moves lost.
/// </summary>
public static class GameScenario
{
    public static async Task<ScenarioResult> RunAsync(Arguments arguments)
    {
        var uri = arguments.UrlWithPath("/ws");
        var bots = arguments.Int("--bots", 1000);
        var duration = arguments.Seconds("--seconds", 30);
        var arena = arguments.Flag("--arena");
        var roomSize = arguments.Int("--room-size", Math.Min(bots, 1000));
        var roomPrefix = arguments.String("--room", "bench-arena");
        // Duel updates list two players: every bot can observe. An arena's updates may list many (all of
        // them without a view distance), and parsing them in every bot would measure the generator: a
        // sample of observers is enough.
        var observers = arguments.Int("--observers", arena ? 100 : bots);
        var period = TimeSpan.FromMilliseconds(1000 / arguments.Double("--move-rate", 10));
        var attackChance = arguments.Double("--attack-chance", 0.05);
        var drain = arguments.Seconds("--drain", 1);
        var joinTimeout = arguments.Seconds("--join-timeout", 30);

        var result = new ScenarioResult();
        var observerEvery = Math.Max(1, bots / Math.Max(1, observers));
        var connector = Connector.From(arguments, uri);
        var all = new GameBot?[bots];
        var loops = new List<Task>();
        var failures = new StrongBox<int>();
        string? joinError = null;
        await connector.ConnectManyAsync(bots, async (client, index) =>
        {
            var bot = new GameBot(index, client, observer: index % observerEvery == 0);
            lock (loops)
            {
                loops.Add(Task.Run(bot.ReceiveLoopAsync));
            }
            await client.SendAsync(bot.JoinFrame(arena ? $"{roomPrefix}-{index / roomSize}" : null), CancellationToken.None);
            try
            {
                await bot.Welcomed.WaitAsync(joinTimeout);
                all[index] = bot;
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException)
            {
                joinError ??= exception.Message;
                throw new InvalidOperationException(exception.Message);
            }
        }, failures, CancellationToken.None);

        var joined = all.OfType<GameBot>().ToArray();
        try
        {
            if (failures.Value > 0)
            {
                result.Failures.Add($"{failures.Value} of {bots} bots could not connect and join ({joinError ?? "connection failed"})"
                    + (arena ? $"; an arena needs the server's WsGame:Game:RoomCapacity >= {roomSize} and an arena that fits it" : ""));
                return result;
            }
            // Let the round-start messages of the last joins arrive before anyone moves.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            var byId = joined.ToDictionary(bot => bot.Welcome!.Id);
            var since = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var bot in joined)
            {
                bot.StartMeasuring(byId, since);
            }

            var probe = arguments.Probe();
            await using var watch = MachineWatch.Start(probe, since);
            var cpu = probe.StartCpu();
            using (var stop = new CancellationTokenSource(duration))
            {
                await Task.WhenAll(joined.Select(bot => Task.Run(() => bot.MoveLoopAsync(period, attackChance, stop.Token))));
            }
            cpu.Report(result);
            await Task.Delay(drain); // the last moves reach the next tick's update
            foreach (var bot in joined)
            {
                bot.StopMeasuring();
            }
            Report(result, joined, duration, await watch.StopAsync());
        }
        finally
        {
            await BenchClient.CloseAllAsync(joined.Select(bot => bot.Client), loops);
        }
        return result;
    }

    /// <summary>
    /// True when the server promises to tell <paramref name="observer"/> every move of <paramref name="mover"/>:
    /// always without a view distance; with one, when the two stay within it on both axes wherever they are on
    /// their paths (each walks at most <see cref="GamePath.Extent"/> from its spawn point).
    /// </summary>
    private static bool InSight(GameBot observer, GameBot mover)
    {
        var (a, b) = (observer.Welcome!, mover.Welcome!);
        var reach = a.View - 2 * GamePath.Extent;
        return a.View == 0 || (Math.Abs(a.Left - b.Left) <= reach && Math.Abs(a.Top - b.Top) <= reach);
    }

    /// <summary>
    /// Every second of the run: deliveries later than <see cref="GameBot.LateAfter"/> that arrived in it and the worst
    /// latency among them (ms), beside what <see cref="MachineWatch"/> saw then, so that a tail made of bursts shows
    /// when they came and whether the server was busy, the generator held up or the VM robbed.
    /// </summary>
    private static object[] LateBySecond(GameBot[] observers, IReadOnlyList<MachineWatch.Second> machine)
    {
        var seconds = Math.Max(machine.Count, observers.Select(bot => bot.LateBySecond.Count).DefaultIfEmpty(0).Max());
        return [.. Enumerable.Range(0, seconds).Select(second => new
        {
            second,
            late = observers.Sum(bot => second < bot.LateBySecond.Count ? bot.LateBySecond[second].Count : 0),
            max_ms = observers.Max(bot => second < bot.LateBySecond.Count ? bot.LateBySecond[second].MaxMicros : 0) / 1000.0,
            server_cpu_percent = second < machine.Count ? machine[second].ServerCpuPercent : null,
            generator_lag_ms = second < machine.Count ? machine[second].GeneratorLagMs : (double?)null,
            steal_ms = second < machine.Count ? machine[second].StealMs : (double?)null,
        })];
    }

    /// <summary>
    /// Which side of the lost moves went dark, for a failure to be told apart from the next: observers that saw nothing of
    /// anyone in sight (and how many updates they got), and movers nobody in sight saw after some move.
    /// </summary>
    private static string WhereLost(IEnumerable<IGrouping<string, GameBot>> rooms)
    {
        var blind = new List<string>();
        var unseen = new List<string>();
        foreach (var room in rooms)
        {
            foreach (var bot in room)
            {
                var watched = room.Where(mover => mover != bot && bot.Observer && InSight(bot, mover)).ToArray();
                if (watched.Length > 0 && watched.All(mover => bot.UnseenOf(mover) > 0))
                {
                    blind.Add($"{bot.Name} ({bot.UpdatesReceived} updates)");
                }
                var watchers = room.Where(observer => observer != bot && observer.Observer && InSight(observer, bot)).ToArray();
                if (watchers.Length > 0 && watchers.All(observer => observer.UnseenOf(bot) > 0))
                {
                    unseen.Add($"{bot.Name} ({bot.Track.Latest} moves)");
                }
            }
        }
        return $"where: observers short of every mover in sight: [{string.Join(", ", blind)}]; movers every observer is short of: [{string.Join(", ", unseen)}]";
    }

    private static void Report(ScenarioResult result, GameBot[] bots, TimeSpan duration, IReadOnlyList<MachineWatch.Second> machine)
    {
        var rooms = bots.GroupBy(bot => bot.Welcome!.Room).ToArray();
        long expected = 0, lost = 0, pairs = 0;
        foreach (var room in rooms)
        {
            foreach (var observer in room.Where(bot => bot.Observer))
            {
                foreach (var mover in room.Where(mover => mover != observer && InSight(observer, mover)))
                {
                    pairs++;
                    expected += mover.Track.Latest;
                    lost += observer.UnseenOf(mover);
                }
            }
        }
        var observerBots = bots.Where(bot => bot.Observer).ToArray();
        var movesSent = bots.Sum(bot => bot.Track.Latest);
        result["bots"] = bots.Length;
        result["rooms"] = rooms.Length;
        result["moves_per_s"] = Math.Round(movesSent / duration.TotalSeconds, 1);
        result["latency_p50_ms"] = LatencyRecorder.Percentile(observerBots.Select(bot => bot.Latency), 50);
        result["latency_p99_ms"] = LatencyRecorder.Percentile(observerBots.Select(bot => bot.Latency), 99);
        result["moves_lost"] = lost;
        result["deliveries_expected"] = expected;
        result["deliveries_seen"] = observerBots.Sum(bot => bot.Seen);
        result["deliveries_superseded"] = observerBots.Sum(bot => bot.Superseded);
        result["positions_unmatched"] = observerBots.Sum(bot => bot.Unmatched);
        result["snapshots"] = bots.Sum(bot => bot.Snapshots);
        result["corrections"] = bots.Sum(bot => bot.Corrections);
        result["observers"] = observerBots.Length;
        result["late_deliveries"] = observerBots.Sum(bot => bot.LateBySecond.Sum(second => (long)second.Count));
        result.Details["late_by_second"] = LateBySecond(observerBots, machine);
        result["generator_lag_max_ms"] = machine.Select(second => second.GeneratorLagMs).DefaultIfEmpty(0).Max();
        result["machine_steal_ms"] = machine.Sum(second => second.StealMs);
        result["view"] = bots[0].Welcome!.View;
        result["pairs_in_sight"] = pairs;
        if (result.FailIfAny(lost, "moves an observer never saw (nor any later move of that player)"))
        {
            result.Failures.Add(WhereLost(rooms));
        }
        result.FailIfAny(bots.Count(bot => bot.Dropped), "connections closed by the server during the run");
        result.FailIfAny(bots.Sum(bot => bot.Corrections), "moves the server corrected (the bots' path should be legal)");
        result.FailIfAny(bots.Sum(bot => bot.Errors), "error answers" + (bots.FirstOrDefault(bot => bot.LastError is not null)?.LastError is { } e ? $" (e.g. {e})" : ""));
        result.FailIfAny(bots.Sum(bot => bot.Rounds + bot.KnockOuts), "rounds started or ended during the run (positions reset)");
        if (pairs == 0)
        {
            result.Failures.Add("no observer had another bot in sight: nothing was observed");
        }
    }
}
