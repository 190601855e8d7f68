using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WsGame.Bench;

/// <summary>
/// resume: WsGame only (the peers do not number their messages nor hold seats). P players in named duel rooms of
/// two (<c>--room</c>-0, -1, ...) walk as the game scenario's bots do, so updates flow, and each drops its TCP
/// connection at one to <c>--drops</c> random moments of the run (a reset, no close frame), reconnects and resumes
/// with the last <c>seq</c> it saw. S spectators watch the first R of those rooms. Measured: the time from the
/// resume to the resumed welcome and to the first live message after the replay; every member's numbered stream
/// is checked for gaps and repeats, the players' across their resumes. The server must admit ceil(S/R)
/// spectators a room (<c>WsGame:Game:MaxSpectators</c>, 50 by default).
/// </summary>
public static class ResumeScenario
{
    public static async Task<ScenarioResult> RunAsync(Arguments arguments)
    {
        var uri = arguments.UrlWithPath("/ws");
        var players = arguments.Int("--players", 500);
        var spectators = arguments.Int("--spectators", 1000);
        var duration = arguments.Seconds("--seconds", 30);
        var maxDrops = arguments.Int("--drops", 3);
        var roomPrefix = arguments.String("--room", "bench-resume");
        var period = TimeSpan.FromMilliseconds(1000 / arguments.Double("--move-rate", 10));
        var resumeTimeout = arguments.Seconds("--resume-timeout", 10);
        var joinTimeout = arguments.Seconds("--join-timeout", 30);
        var drain = arguments.Seconds("--drain", 1);
        if (players < 2 || players % 2 != 0)
        {
            throw new ArgumentException("--players must be even and at least 2: they play duels");
        }
        if (maxDrops < 1)
        {
            throw new ArgumentException("--drops must be at least 1");
        }
        var duels = players / 2;
        var rooms = Math.Min(arguments.Int("--rooms", 10), duels);
        if (spectators > 0 && rooms < 1)
        {
            throw new ArgumentException("--rooms must be at least 1 when there are spectators");
        }

        var result = new ScenarioResult();
        var connector = Connector.From(arguments, uri);
        var seated = new ResumePlayer?[players];
        var watching = new ResumeSpectator?[spectators];
        var spectatorLoops = new List<Task>();
        var failures = new StrongBox<int>();
        string? joinError = null;
        await connector.ConnectManyAsync(players, async (client, index) =>
        {
            var player = new ResumePlayer(index, client, connector);
            player.StartReading();
            await client.SendAsync(player.JoinFrame($"{roomPrefix}-{index / 2}"), CancellationToken.None);
            try
            {
                await player.Welcomed.WaitAsync(joinTimeout);
                seated[index] = player;
            }
            catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException)
            {
                joinError ??= exception.Message;
                throw new InvalidOperationException(exception.Message);
            }
        }, failures, CancellationToken.None);
        var joined = seated.OfType<ResumePlayer>().ToArray();
        var playerFailures = failures.Value;

        // Spectators watch the rooms the players opened (a spectate needs an open room), in turn.
        failures.Value = 0;
        string? spectateError = null;
        var roomNames = Enumerable.Range(0, rooms).Select(room => $"{roomPrefix}-{room}").ToArray();
        if (playerFailures == 0)
        {
            await connector.ConnectManyAsync(spectators, async (client, index) =>
            {
                var spectator = new ResumeSpectator(index, client);
                lock (spectatorLoops)
                {
                    spectatorLoops.Add(Task.Run(spectator.ReceiveLoopAsync));
                }
                await client.SendAsync(spectator.SpectateFrame(roomNames[index % rooms]), CancellationToken.None);
                try
                {
                    await spectator.Welcomed.WaitAsync(joinTimeout);
                    watching[index] = spectator;
                }
                catch (Exception exception) when (exception is InvalidOperationException or IOException or TimeoutException)
                {
                    spectateError ??= exception.Message;
                    throw new InvalidOperationException(exception.Message);
                }
            }, failures, CancellationToken.None);
        }
        var watchers = watching.OfType<ResumeSpectator>().ToArray();

        try
        {
            if (playerFailures > 0)
            {
                result.Failures.Add($"{playerFailures} of {players} players could not connect and join ({joinError ?? "connection failed"})");
                return result;
            }
            if (failures.Value > 0)
            {
                result.Failures.Add($"{failures.Value} of {spectators} spectators could not connect and spectate ({spectateError ?? "connection failed"})"
                    + $"; the server must admit {(spectators + rooms - 1) / rooms} spectators a room (WsGame:Game:MaxSpectators)");
                return result;
            }
            // Let the round starts of the last joins arrive before anyone moves or drops.
            await Task.Delay(TimeSpan.FromMilliseconds(300));

            // Each player drops 1..maxDrops times, at random moments between 5% and 90% of the run, so the
            // drops are spread over the run and the last resume has time to finish before the end.
            var random = new Random(players * 7919 + spectators);
            var schedules = joined.Select(_ => Enumerable.Range(0, random.Next(1, maxDrops + 1))
                .Select(_ => duration * (0.05 + 0.85 * random.NextDouble()))
                .Order().ToArray()).ToArray();

            var probe = arguments.Probe();
            var cpu = probe.StartCpu();
            var since = Stopwatch.GetTimestamp();
            using (var stop = new CancellationTokenSource(duration))
            {
                await Task.WhenAll(joined.Select((player, i) =>
                    Task.Run(() => player.PlayAsync(period, schedules[i], since, resumeTimeout, stop.Token))));
            }
            cpu.Report(result);
            await Task.Delay(drain); // the last moves' updates reach everyone
            foreach (var player in joined)
            {
                player.StopCounting();
            }
            foreach (var spectator in watchers)
            {
                spectator.Check.Counting = false;
            }
            Report(result, joined, watchers, rooms, schedules.Sum(schedule => schedule.Length));
        }
        finally
        {
            // The players' current connections (the dropped ones are already closed) and the spectators'.
            await BenchClient.CloseAllAsync([.. joined.Select(player => player.Client), .. watchers.Select(spectator => spectator.Client)],
                [.. joined.Select(player => player.ReadLoop), .. spectatorLoops]);
        }
        return result;
    }

    private static void Report(ScenarioResult result, ResumePlayer[] players, ResumeSpectator[] spectators, int rooms, int scheduled)
    {
        var gaps = players.Sum(player => player.Check.Gaps) + spectators.Sum(spectator => spectator.Check.Gaps);
        var duplicates = players.Sum(player => player.Check.Duplicates) + spectators.Sum(spectator => spectator.Check.Duplicates);
        var refused = players.Sum(player => player.Refused);
        var resumes = players.Sum(player => player.Resumes);
        result["players"] = players.Length;
        result["drops"] = players.Sum(player => player.Drops);
        result["resumes"] = resumes;
        result["resumes_refused"] = refused;
        result["resume_p50_ms"] = LatencyRecorder.Percentile(players.Select(player => player.ResumeLatency), 50);
        result["resume_p99_ms"] = LatencyRecorder.Percentile(players.Select(player => player.ResumeLatency), 99);
        result["resume_live_p50_ms"] = LatencyRecorder.Percentile(players.Select(player => player.LiveLatency), 50);
        result["resume_live_p99_ms"] = LatencyRecorder.Percentile(players.Select(player => player.LiveLatency), 99);
        result["resumes_live"] = players.Sum(player => player.LiveLatency.Count);
        result["resumes_taken_over"] = players.Sum(player => player.TakeOvers);
        result["replayed_messages"] = players.Sum(player => player.Replayed);
        result["seq_gaps"] = gaps;
        result["seq_duplicates"] = duplicates;
        result["snapshots"] = players.Sum(player => player.SnapshotsForReplay);
        result["catch_up_snapshots"] = players.Sum(player => player.Check.Snapshots - player.SnapshotsForReplay)
                                       + spectators.Sum(spectator => spectator.Check.Snapshots);
        result["player_messages"] = players.Sum(player => player.Check.Messages);
        result["spectators"] = spectators.Length;
        result["spectator_rooms"] = spectators.Length > 0 ? rooms : 0;
        result["spectator_messages"] = spectators.Sum(spectator => spectator.Check.Messages);
        result["corrections"] = players.Sum(player => player.Corrections);
        result.Details["seq_gaps_by"] = new
        {
            players = players.Sum(player => player.Check.Gaps),
            spectators = spectators.Sum(spectator => spectator.Check.Gaps),
        };
        result.Details["seq_duplicates_by"] = new
        {
            players = players.Sum(player => player.Check.Duplicates),
            spectators = spectators.Sum(spectator => spectator.Check.Duplicates),
        };
        result.FailIfAny(gaps, "messages missed (a seq skipped without a snapshot)");
        result.FailIfAny(duplicates, "messages received twice (a seq repeated)");
        result.FailIfAny(refused, "resumes refused or unanswered"
            + (players.FirstOrDefault(player => player.Refused > 0)?.LastError is { } e ? $" (e.g. {e})" : ""));
        result.FailIfAny(players.Sum(player => player.Mismatches), "resumed welcomes with another id or room");
        result.FailIfAny(players.Count(player => player.Dropped) + spectators.Count(spectator => spectator.Dropped),
            "connections closed by the server during the run");
        result.FailIfAny(players.Sum(player => player.Errors) + spectators.Sum(spectator => spectator.Errors), "error answers"
            + ((players.Select(player => player.LastError).Concat(spectators.Select(spectator => spectator.LastError)))
                .FirstOrDefault(error => error is not null) is { } error ? $" (e.g. {error})" : ""));
        // Nobody attacks: a round that ends is a seat that expired (a forfeit) while its player was resuming.
        result.FailIfAny(players.Sum(player => player.KnockOuts), "rounds ended during the run (a held seat expired?)");
        if (resumes == 0 && scheduled > 0)
        {
            result.Failures.Add("no resume completed");
        }
        if (spectators.Length > 0 && spectators.Sum(spectator => spectator.Check.Messages) == 0)
        {
            result.Failures.Add("the spectators got no message: nothing was checked");
        }
    }
}
