namespace WsGame.Api.Hosting;

/// <summary>Settings of the REST API, bound from the <c>WsGame</c> section (<c>WsGame:ApiKey</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "WsGame";

    /// <summary>
    /// The key operators send as <c>X-Api-Key</c> to broadcast or remove players. Empty (the
    /// default): those endpoints are disabled and answer 404. Treat it as a secret: set it with an
    /// environment variable (<c>WsGame__ApiKey</c>) rather than in a committed file. Deliberately not
    /// validated by annotations, whose failure messages would print the value.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>True when a non-blank key is configured.</summary>
    public bool OperatorEndpointsEnabled => !string.IsNullOrWhiteSpace(ApiKey);
}
