using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WsGame.Api.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps every event at or above Warning, with its exception, except Orleans' notes on the
/// test process itself: it runs with workstation GC (the server's own process has server GC), and the many servers
/// of a test run share its thread pool, which Orleans' watchdog reports when they starve it for a while.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> _events = new();

    public IReadOnlyCollection<(LogLevel Level, string Category, string Message, Exception? Exception)> Events => _events;

    /// <summary>Events at Error or above, or with an exception, as lines.</summary>
    public IReadOnlyList<string> Errors =>
        [.. _events.Where(e => e.Level >= LogLevel.Error || e.Exception is not null).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _events);

    public void Dispose()
    {
    }

    private static bool IsAboutTheTestProcess(string category, string message) =>
        category == "Orleans.Runtime.Watchdog"
        || (category == "Orleans.Runtime.Silo" && message.StartsWith("Note: ", StringComparison.Ordinal) && message.Contains("ServerGC", StringComparison.Ordinal));

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string, string, Exception?)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && formatter(state, exception) is var message && !IsAboutTheTestProcess(category, message))
            {
                events.Enqueue((logLevel, category, message, exception));
            }
        }
    }
}
