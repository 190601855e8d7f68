using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WsGame.Api.Storage;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Storage;

public sealed class ResultWriterTests
{
    private readonly FlakyStore _store = new();
    private readonly ResultQueue _queue = new(1000);
    private readonly CapturedLogs _logs = new();
    private readonly ResultWriter _writer;

    public ResultWriterTests()
    {
        var options = Options.Create(new StorageOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(200), BatchSize = 10, FlushTimeout = TimeSpan.FromSeconds(5) });
        _writer = new ResultWriter(_store, _queue, new PendingResults(), options, TimeProvider.System, LoggerFactory.Create(logging => logging.AddProvider(_logs)).CreateLogger<ResultWriter>());
    }

    private static ProfileSeen Seen(int i) => new($"{i:x16}", "hash", $"p{i}", DateTime.UtcNow);

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(20);
        }
    }

    private HealthStatus Health() =>
        new StorageHealthCheck(_writer, _queue).CheckHealthAsync(new HealthCheckContext()).Result.Status;

    [Fact]
    public async Task Writes_go_to_the_store_in_order()
    {
        await _writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 25; i++)
        {
            Assert.True(_queue.TryAdd(Seen(i)));
        }
        await Eventually(() => _store.Count == 25);
        Assert.Equal(Enumerable.Range(0, 25).Select(Seen).Select(s => s.Id), _store.Written.Cast<ProfileSeen>().Select(s => s.Id));
        Assert.Equal(HealthStatus.Healthy, Health());
        await _writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_outage_is_logged_once_reported_degraded_and_nothing_queued_is_lost()
    {
        await _writer.StartAsync(CancellationToken.None);
        _queue.TryAdd(Seen(100));
        await Eventually(() => _store.Count == 1); // the schema is done and writes flow
        _store.Down = true;
        for (var i = 0; i < 50; i++)
        {
            _queue.TryAdd(Seen(i));
        }
        await Eventually(() => _store.Attempts >= 5); // several tries while down
        Assert.True(_writer.InOutage);
        Assert.Equal(HealthStatus.Degraded, Health());
        Assert.Single(_logs.Events, e => e.Level == LogLevel.Error && e.Message.Contains("unavailable"));

        _store.Down = false;
        await Eventually(() => _store.Count == 51);
        Assert.False(_writer.InOutage);
        Assert.Equal(HealthStatus.Healthy, Health());
        Assert.Single(_logs.Events, e => e.Message.Contains("is back"));
        Assert.Equal(51, _store.Written.Cast<ProfileSeen>().Select(s => s.Id).Distinct().Count());
        await _writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_write_the_database_refuses_while_up_is_dropped_alone_and_logged()
    {
        _store.Refuses = write => write is ProfileSeen { Name: "p3" };
        await _writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 8; i++)
        {
            _queue.TryAdd(Seen(i));
        }
        await Eventually(() => _store.Count == 7);
        Assert.DoesNotContain(_store.Written, w => w is ProfileSeen { Name: "p3" });
        Assert.Single(_logs.Events, e => e.Level == LogLevel.Error && e.Message.Contains("refused"));
        await _writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stop_writes_what_is_queued_first()
    {
        _store.Down = true; // nothing written before the stop
        await _writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 30; i++)
        {
            _queue.TryAdd(Seen(i));
        }
        var stop = _writer.StopAsync(CancellationToken.None);
        await Task.Delay(300);
        _store.Down = false;
        await stop;
        Assert.Equal(30, _store.Count);
    }

    [Fact]
    public async Task A_full_queue_drops_and_counts_and_health_says_so()
    {
        var queue = new ResultQueue(2);
        Assert.True(queue.TryAdd(Seen(1)));
        Assert.True(queue.TryAdd(Seen(2)));
        Assert.False(queue.TryAdd(Seen(3)));
        Assert.Equal(1, queue.Dropped);
        var health = await new StorageHealthCheck(_writer, queue).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("1 results dropped since start", health.Description);
    }
}
