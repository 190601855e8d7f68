using System.Net;
using System.Net.Http.Json;
using WsGame.Api.Tests.Infrastructure;

namespace WsGame.Api.Tests.Api;

public sealed class BroadcastEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Broadcast_reaches_every_joined_player_as_a_server_status()
    {
        var (a, _) = await GameTestClient.JoinAsync(server.App, "HearA", ApiServer.Room("hear-a"));
        await using var _a = a;
        var (b, _) = await GameTestClient.JoinAsync(server.App, "HearB", ApiServer.Room("hear-b"));
        await using var _b = b;
        using var http = server.CreateClient(ApiServer.Key);

        var response = await http.PostAsJsonAsync("/api/broadcast", new { message = "restart in 5 minutes" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await ApiServer.JsonAsync(response)).GetProperty("recipients").GetInt32() >= 2);
        foreach (var client in new[] { a, b })
        {
            var status = await client.ReceiveAsync("status", m => m["id"]!.GetValue<string>() == "server");
            Assert.Equal("[server] restart in 5 minutes", status["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("", HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Forbidden)]
    [InlineData(ApiServer.Key + "x", HttpStatusCode.Forbidden)]
    public async Task Broadcast_without_the_right_key_is_refused_and_sends_nothing(string? key, HttpStatusCode expected)
    {
        var (client, _) = await GameTestClient.JoinAsync(server.App, "Quiet", ApiServer.Room("quiet"));
        await using var _ = client;
        using var http = server.App.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/broadcast") { Content = JsonContent.Create(new { message = "not allowed" }) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        }

        var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await Assert.ThrowsAsync<TimeoutException>(() =>
            client.ReceiveAsync("status", m => m["message"]!.GetValue<string>().Contains("not allowed"), TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("{\"message\":\"\"}")]
    [InlineData("{\"message\":\"   \"}")]
    [InlineData("{}")]
    [InlineData("{\"message\":null}")]
    [InlineData("LONG")]
    public async Task Broadcast_with_a_missing_blank_or_too_long_message_answers_400_problem_details(string body)
    {
        if (body == "LONG")
        {
            body = $"{{\"message\":\"{new string('a', 501)}\"}}";
        }
        using var http = server.CreateClient(ApiServer.Key);

        var response = await http.PostAsync("/api/broadcast", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiServer.JsonAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("message", out _));
    }

    [Fact]
    public async Task A_message_of_exactly_500_characters_is_accepted()
    {
        using var http = server.CreateClient(ApiServer.Key);

        var response = await http.PostAsJsonAsync("/api/broadcast", new { message = new string('b', 500) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

/// <summary>A server without WsGame:ApiKey: the operator endpoints do not exist for its callers.</summary>
public sealed class OperatorEndpointsWithoutKeyTests : IDisposable
{
    private readonly WsGameServer _app = new();

    [Fact]
    public async Task Operator_endpoints_answer_404_when_no_key_is_configured_with_or_without_a_key_sent()
    {
        foreach (var key in new[] { null, "any-key" })
        {
            using var http = _app.CreateHttpClient();
            if (key is not null)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            var broadcast = await http.PostAsJsonAsync("/api/broadcast", new { message = "hello" });
            var remove = await http.DeleteAsync("/api/players/1");

            Assert.Equal(HttpStatusCode.NotFound, broadcast.StatusCode);
            Assert.Equal("application/problem+json", broadcast.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        }
        using var reader = _app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/stats")).StatusCode);
    }

    public void Dispose() => _app.Dispose();
}
