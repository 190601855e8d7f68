using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WsGame.Api.Game.Session;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

/// <summary>The real app with an operator key configured, for the API tests of one class.</summary>
public sealed class ApiServer : IDisposable
{
    public const string Key = "test-operator-key-0123456789";

    public WsGameServer App { get; } = new(new Dictionary<string, string?>
    {
        ["WsGame:ApiKey"] = Key,
        ["WsGame:Game:TickRate"] = "20",
    });

    public GameSession Session => App.Services.GetRequiredService<GameSession>();

    public HttpClient CreateClient(string? key = null)
    {
        var client = App.CreateHttpClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    public static string Room(string test) => $"{test}-{Guid.NewGuid():N}"[..32];

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public void Dispose() => App.Dispose();
}
