using System.Net;
using System.Text.Json;

namespace WsGame.Api.Tests.Api;

public sealed class SwaggerDocumentTests(ApiServer server) : IClassFixture<ApiServer>
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var http = server.CreateClient();
        var response = await http.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiServer.JsonAsync(response);
    }

    private static string SchemaName(JsonElement response)
    {
        var schema = response.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        if (schema.TryGetProperty("items", out var items))
        {
            schema = items;
        }
        return schema.GetProperty("$ref").GetString()!.Split('/')[^1];
    }

    [Theory]
    [InlineData("/api/stats", "get", "200", "StatsResponse")]
    [InlineData("/api/players", "get", "200", "PlayerResponse")]
    [InlineData("/api/players/{id}", "get", "200", "PlayerResponse")]
    [InlineData("/api/players/{id}", "get", "404", "ProblemDetails")]
    [InlineData("/api/players/{id}", "delete", "401", "ProblemDetails")]
    [InlineData("/api/players/{id}", "delete", "403", "ProblemDetails")]
    [InlineData("/api/players/{id}", "delete", "404", "ProblemDetails")]
    [InlineData("/api/rooms", "get", "200", "RoomResponse")]
    [InlineData("/api/rooms/{name}", "get", "200", "RoomResponse")]
    [InlineData("/api/rooms/{name}", "get", "404", "ProblemDetails")]
    [InlineData("/api/broadcast", "post", "200", "BroadcastResponse")]
    [InlineData("/api/broadcast", "post", "400", "HttpValidationProblemDetails")]
    [InlineData("/api/broadcast", "post", "401", "ProblemDetails")]
    [InlineData("/api/broadcast", "post", "403", "ProblemDetails")]
    public async Task Every_endpoint_is_documented_with_its_response_schema(string path, string method, string status, string schema)
    {
        var document = await DocumentAsync();

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var response = operation.GetProperty("responses").GetProperty(status);

        Assert.Equal(schema, SchemaName(response));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty(schema, out _));
    }

    [Fact]
    public async Task Removing_a_player_is_documented_as_204_no_content()
    {
        var document = await DocumentAsync();

        var responses = document.GetProperty("paths").GetProperty("/api/players/{id}").GetProperty("delete").GetProperty("responses");

        Assert.True(responses.TryGetProperty("204", out _));
    }

    [Fact]
    public async Task The_broadcast_body_schema_is_documented_with_an_example()
    {
        var document = await DocumentAsync();

        var body = document.GetProperty("paths").GetProperty("/api/broadcast").GetProperty("post").GetProperty("requestBody");
        var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var request = document.GetProperty("components").GetProperty("schemas").GetProperty(schema.Split('/')[^1]);

        Assert.Equal("BroadcastRequest", schema.Split('/')[^1]);
        Assert.True(request.GetProperty("properties").GetProperty("message").TryGetProperty("example", out _));
    }

    [Theory]
    [InlineData("/api/players/{id}", "delete", true)]
    [InlineData("/api/broadcast", "post", true)]
    [InlineData("/api/stats", "get", false)]
    [InlineData("/api/players", "get", false)]
    public async Task Operator_endpoints_declare_the_api_key_requirement(string path, string method, bool guarded)
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal(guarded, operation.TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("ApiKey", out _)));
    }
}
