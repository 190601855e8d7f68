using System.Diagnostics.Metrics;
using WsGame.Api.Game.Session;
using WsGame.Api.WebSockets.Connection;
using WsGame.Api.WebSockets.Protocol;

namespace WsGame.Api.Hosting;

/// <summary>
/// The server's instruments, on the <see cref="System.Diagnostics.Metrics.Meter"/> named
/// <see cref="MeterName"/>: observable gauges and counters read from the connection registry and
/// the game's statistics when a collector asks (nothing is counted twice), and the tick duration
/// histogram recorded by the game loop. Exported as Prometheus text at <c>/metrics</c>, per node: every
/// measurement carries the <c>node</c> label (<see cref="NodeIdentity"/>), so that a cluster's scrapes add up.
/// </summary>
public sealed class WsGameMetrics
{
    public const string MeterName = "WsGame";

    private readonly Histogram<double> _tickDuration;
    private readonly KeyValuePair<string, object?> _node;

    public WsGameMetrics(IMeterFactory meterFactory, ConnectionRegistry registry, GameSession session, NodeIdentity node)
    {
        _node = new KeyValuePair<string, object?>("node", node.Name);
        // A meter from the factory belongs to this host's container and is disposed with it,
        // so several hosts in one process (tests) do not report each other's numbers.
        Meter = meterFactory.Create(MeterName);
        Meter.CreateObservableUpDownCounter("wsgame.connections.open", () => Tagged(registry.OpenCount),
            unit: "{connection}", description: "WebSocket connections open now.");
        Meter.CreateObservableCounter("wsgame.connections", () => Tagged(registry.TotalOpened),
            unit: "{connection}", description: "WebSocket connections opened since start.");
        Meter.CreateObservableUpDownCounter("wsgame.players", () => Tagged(session.PlayerCount),
            unit: "{player}", description: "Players joined now.");
        Meter.CreateObservableUpDownCounter("wsgame.rooms", () => Tagged(session.RoomCount),
            unit: "{room}", description: "Rooms open now.");
        Meter.CreateObservableCounter("wsgame.messages.in", () => Tagged(session.Stats.MessagesIn),
            unit: "{message}", description: "Game messages received from clients since start.");
        Meter.CreateObservableCounter("wsgame.messages.out", () => Tagged(session.Stats.MessagesOut),
            unit: "{message}", description: "Game messages queued to clients since start.");
        Meter.CreateObservableCounter("wsgame.bytes.in", () => Tagged(registry.BytesIn),
            unit: "By", description: "WebSocket bytes received (frames, headers included) since start.");
        Meter.CreateObservableCounter("wsgame.bytes.out", () => Tagged(registry.BytesOut),
            unit: "By", description: "WebSocket bytes sent (frames, headers included) since start.");
        Meter.CreateObservableCounter("wsgame.ticks", () => Tagged(session.Stats.Ticks),
            unit: "{tick}", description: "Game loop ticks since start.");
        Meter.CreateObservableCounter("wsgame.send_queue.drops", () => Tagged(ClosedWith(registry, CloseCode.PolicyViolation)),
            unit: "{connection}", description: "Connections closed with 1008 (policy violation): the send queue was full or a write waited the send timeout (an operator's removal closes with 4002 and is not counted here).");
        _tickDuration = Meter.CreateHistogram("wsgame.tick.duration",
            unit: "s", description: "Time one game tick takes: every room's update built and queued.", tags: null,
            // A tick at 20 Hz has 50 ms; buckets from 0.1 ms up to a tick that overruns.
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
            });
    }

    public Meter Meter { get; }

    /// <summary>Records one game tick's duration (called by the game loop).</summary>
    public void TickCompleted(TimeSpan duration) => _tickDuration.Record(duration.TotalSeconds, _node);

    private Measurement<T> Tagged<T>(T value) where T : struct => new(value, _node);

    private static long ClosedWith(ConnectionRegistry registry, CloseCode code) =>
        registry.ClosedByCode.TryGetValue((int)code, out var count) ? count : 0;
}
