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
        services.AddHostedService<GameLoopService>();
        return services;
    }
}
