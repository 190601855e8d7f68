using Microsoft.Extensions.Hosting;
using Serilog;
using WsGame.Api.Api;
using WsGame.Api.Cluster;
using WsGame.Api.Echo;
using WsGame.Api.Game.Session;
using WsGame.Api.Hosting;
using WsGame.Api.Storage;
using WsGame.Api.WebSockets.Connection;

// Composition only: what the app is made of and in which order requests meet it.
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseDefaultUrlUnlessConfigured();
    builder.UseInlineSocketCompletionsIfConfigured();

    builder.Services.AddWsGameLogging();
    builder.Services.AddWebSocketTransport();
    builder.Services.AddWebSocketEndpoint<EchoHandler>(EchoHandler.Path);
    // The silo first: hosted services stop in reverse, so the game and then storage's writer finish (the last
    // results stored) before the silo leaves the cluster, which can take long when every node stops at once.
    builder.AddWsGameCluster();
    builder.Services.AddStorage();
    builder.Services.AddGame();
    builder.Services.AddWsGameApiDocs();
    builder.Services.AddWsGameApi();
    builder.Services.AddWsGameMetrics();
    builder.Services.AddWsGameHealth();

    var app = builder.Build();

    // WebSocket endpoints first: their connections log their own open and close (WebSocketLog), and the
    // request logger would otherwise hold its state for the whole life of every connection.
    app.UseWebSocketEndpoints();
    app.UseWsGameRequestLogging();
    app.UseStatusCodePages(PlainStatusPages.WriteAsync);
    app.UseDefaultFiles();
    app.UseStaticFiles();
    app.UseSwagger();
    app.UseSwaggerUI();

    app.MapHealthChecks("/health", HealthResponse.Options);
    app.MapWsGameApi();
    app.MapWsGameMetrics();

    app.Run();
    return 0;
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // The host's own logger may not exist yet (or be the reason), so report on a logger of our own.
    using var logger = new LoggerConfiguration().WriteTo.Console().CreateLogger();
    logger.Fatal("WsGame could not start or stopped unexpectedly: {Reason}", exception.Message);
    return 1;
}

/// <summary>Entry point; public so tests can host the real app with WebApplicationFactory.</summary>
public partial class Program;
