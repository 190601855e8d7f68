using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.Tests.WebSockets.Handshake;

/// <summary>Which browser origins may open a WebSocket (RFC 6455 section 10.2).</summary>
public sealed class OriginPolicyTests
{
    private const string Host = "game.example:8080";

    private static readonly OriginPolicy NoList = new([]);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Request_without_an_origin_is_allowed(string? origin)
    {
        // Non-browser clients send no Origin; the check is against browsers on other sites.
        Assert.True(NoList.IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("http://game.example:8080", "game.example:8080")]
    [InlineData("https://game.example:8080", "game.example:8080")]
    [InlineData("http://GAME.example:8080", "game.example:8080")]
    [InlineData("http://game.example", "game.example")]
    [InlineData("https://game.example", "game.example")]
    [InlineData("https://game.example:443", "game.example")]
    [InlineData("http://game.example:80", "game.example")]
    public void Same_host_and_port_as_the_request_is_allowed(string origin, string host)
    {
        Assert.True(NoList.IsAllowed(origin, host));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://evil.example:8080")]
    [InlineData("http://game.example:9090")]      // same host, other port
    [InlineData("http://game.example")]           // same host, default port
    [InlineData("http://game.example.evil.example:8080")]
    [InlineData("http://evilgame.example:8080")]
    [InlineData("http://localhost.evil.example")]
    public void Other_host_or_port_is_refused(string origin)
    {
        Assert.False(NoList.IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:3000")]
    [InlineData("https://localhost:5173")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://127.0.0.1:8081")]
    [InlineData("http://[::1]")]
    [InlineData("http://[::1]:9000")]
    public void Loopback_origins_on_any_port_are_allowed(string origin)
    {
        Assert.True(NoList.IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("https://friend.example")]
    [InlineData("https://friend.example/")]
    [InlineData("HTTPS://FRIEND.EXAMPLE")]
    [InlineData("https://other.example:4443")]
    public void Configured_origin_is_allowed(string origin)
    {
        var policy = new OriginPolicy(["https://friend.example", "https://other.example:4443/"]);

        Assert.True(policy.IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("http://friend.example")]        // other scheme
    [InlineData("https://friend.example:8443")]  // other port
    [InlineData("https://sub.friend.example")]
    [InlineData("https://friend.example.evil")]
    [InlineData("https://other.example")]        // configured with a port
    public void Configured_list_matches_exactly(string origin)
    {
        var policy = new OriginPolicy(["https://friend.example", "https://other.example:4443/"]);

        Assert.False(policy.IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("https://anything.example")]
    [InlineData("http://evil.example:1234")]
    [InlineData("null")]
    public void Star_allows_every_origin(string origin)
    {
        Assert.True(new OriginPolicy(["*"]).IsAllowed(origin, Host));
        Assert.True(new OriginPolicy(["https://friend.example", "*"]).IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("garbage")]
    [InlineData("not a url")]
    [InlineData("http://")]
    [InlineData("://game.example:8080")]
    [InlineData("game.example:8080")]
    [InlineData("http://exa mple.com")]
    public void Garbage_origin_is_refused(string origin)
    {
        Assert.False(NoList.IsAllowed(origin, Host));
        Assert.False(new OriginPolicy(["https://friend.example"]).IsAllowed(origin, Host));
    }

    [Theory]
    [InlineData("/etc/passwd")]                 // a Unix path: Uri reads it as file:///etc/passwd
    [InlineData("/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("file://localhost/etc/passwd")]
    public void Path_or_file_url_origin_is_refused(string origin)
    {
        // Not a browser origin (scheme://host[:port], or "null" for file pages), and not localhost either.
        Assert.False(NoList.IsAllowed(origin, Host));
    }
}
