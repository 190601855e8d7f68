using WsGame.Api.Hosting;

namespace WsGame.Api.WebSockets.Connection;

/// <summary>The limits one connection enforces, taken from <see cref="TransportOptions"/> when it opens.</summary>
internal sealed record ConnectionSettings(
    int MaxMessageBytes,
    int SendQueueLimit,
    TimeSpan KeepAliveInterval,
    TimeSpan KeepAliveTimeout,
    TimeSpan CloseTimeout,
    TimeSpan SendTimeout = default,
    int MaxPendingReplyBytes = TransportOptions.DefaultMaxPendingReplyBytes)
{
    // SendTimeout zero: no limit by time (a test's connection that must never be closed for it).
    public static ConnectionSettings From(TransportOptions options) => new(
        options.MaxMessageBytes,
        options.SendQueueLimit,
        options.KeepAliveInterval,
        options.KeepAliveTimeout,
        options.CloseTimeout,
        options.SendTimeout,
        options.MaxPendingReplyBytes);
}
