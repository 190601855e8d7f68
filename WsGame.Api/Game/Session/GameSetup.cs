using WsGame.Api.Hosting;
using WsGame.Api.WebSockets.Connection;

namespace WsGame.Api.Game.Session;

public static class GameSetup
{
    /// <summary>The game: its options, the session singleton, the /ws endpoint and the tick loop.</summary>
    public static IServiceCollection AddGame(this IServiceCollection services)
    {
        services.AddValidatedOptions<GameOptions>(GameOptions.SectionName);
        services.AddSingleton<GameSession>();
        services.AddWebSocketEndpoint<GameHandler>(GameHandler.Path);
        // One instance, both hosted and resolvable, so the health check can read its last tick.
        services.AddSingleton<GameLoopService>();
        services.AddHostedService(provider => provider.GetRequiredService<GameLoopService>());
        return services;
    }
}
