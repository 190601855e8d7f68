namespace WsGame.Api.Hosting;

/// <summary>How WsGame writes its logs, bound from <c>WsGame:Logging</c>. Levels live in the <c>Serilog</c> section.</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "WsGame:Logging";

    /// <summary><c>Text</c> for people at a terminal, <c>CompactJson</c> (one JSON object a line) for log collectors.</summary>
    public ConsoleLogFormat ConsoleFormat { get; set; } = ConsoleLogFormat.Text;
}

public enum ConsoleLogFormat
{
    Text,
    CompactJson,
}
