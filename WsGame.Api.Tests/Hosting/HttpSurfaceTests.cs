using System.Net;
using System.Text.Json;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Hosting;

/// <summary>What an operator or a browser sees over plain HTTP, on the real Kestrel.</summary>
public sealed class HttpSurfaceTests : IClassFixture<HttpSurfaceTests.Server>
{
    public sealed class Server : IDisposable
    {
        public WsGameServer App { get; } = new();

        public void Dispose() => App.Dispose();
    }

    private readonly HttpClient _client;

    public HttpSurfaceTests(Server server) => _client = server.App.CreateHttpClient();

    [Fact]
    public async Task Health_answers_200_with_a_json_status_while_ready()
    {
        var response = await _client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("lifetime").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Swagger_document_is_served_as_openapi_json()
    {
        var response = await _client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", body.RootElement.GetProperty("openapi").GetString());
        Assert.Equal("WsGame API", body.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_swagger()
    {
        var response = await _client.GetAsync("/swagger");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_serves_the_game_page_from_wwwroot()
    {
        var response = await _client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>WsGame", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_path_gets_a_plain_404()
    {
        var response = await _client.GetAsync("/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("404 Not Found", await response.Content.ReadAsStringAsync());
    }
}
