using Serilog.Core;

namespace WsGame.Api.Hosting;

/// <summary>
/// Where log events go instead of the console, when one is registered: behind the same asynchronous queue,
/// so a test can stall the sink of one server without touching the console of the whole process.
/// Not registered, logs go to the console.
/// </summary>
public sealed class LogOutput(ILogEventSink sink)
{
    public ILogEventSink Sink { get; } = sink;
}
