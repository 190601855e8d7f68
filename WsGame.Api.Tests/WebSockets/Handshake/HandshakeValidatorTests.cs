using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.Tests.WebSockets.Handshake;

/// <summary>The opening handshake decision of RFC 6455 section 4.2.1, one requirement at a time.</summary>
public sealed class HandshakeValidatorTests
{
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /// <summary>A valid upgrade request; tests change one thing with <c>with</c>.</summary>
    private static readonly HandshakeRequest Valid = new(
        Method: "GET",
        Protocol: "HTTP/1.1",
        Host: "game.example:8080",
        Upgrade: ["websocket"],
        Connection: ["Upgrade"],
        Key: [RfcKey],
        Version: ["13"],
        SubProtocols: [],
        Origin: []);

    private static HandshakeValidator Validator(params string[] subProtocols) =>
        new(new OriginPolicy(["https://friend.example"]), subProtocols);

    private static HandshakeDecision Decide(HandshakeRequest request, params string[] subProtocols) =>
        Validator(subProtocols).Decide(request);

    private static void AssertRefused(HandshakeDecision decision, int status, string reasonMentions)
    {
        Assert.False(decision.IsAccepted);
        Assert.Equal(status, decision.StatusCode);
        Assert.Null(decision.AcceptKey);
        Assert.Null(decision.SubProtocol);
        Assert.NotNull(decision.Reason);
        Assert.Contains(reasonMentions, decision.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(status == 426, decision.AdvertisesVersion);
    }

    // ---- Acceptance ----------------------------------------------------------------------------

    [Fact]
    public void Valid_request_is_accepted_with_the_rfc_accept_value()
    {
        var decision = Decide(Valid);

        Assert.True(decision.IsAccepted);
        Assert.Equal(101, decision.StatusCode);
        Assert.Equal(RfcAccept, decision.AcceptKey);
        Assert.Null(decision.SubProtocol);
        Assert.Null(decision.Reason);
        Assert.False(decision.AdvertisesVersion);
    }

    [Fact]
    public void Key_with_whitespace_around_it_is_accepted_and_answered_for_the_trimmed_key()
    {
        var decision = Decide(Valid with { Key = ["  " + RfcKey + " "] });

        Assert.True(decision.IsAccepted);
        Assert.Equal(RfcAccept, decision.AcceptKey);
    }

    // ---- Not a WebSocket request at all ------------------------------------------------------

    [Fact]
    public void Plain_get_without_upgrade_headers_gets_426()
    {
        var plain = Valid with { Upgrade = [], Connection = [], Key = [], Version = [] };

        AssertRefused(Decide(plain), 426, "WebSocket");
    }

    [Fact]
    public void Plain_get_with_keep_alive_gets_426()
    {
        AssertRefused(Decide(Valid with { Upgrade = [], Connection = ["keep-alive"] }), 426, "WebSocket");
    }

    // ---- Method and protocol -----------------------------------------------------------------

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("HEAD")]
    [InlineData("CONNECT")]
    public void Other_methods_get_400_naming_GET(string method)
    {
        var decision = Decide(Valid with { Method = method });

        AssertRefused(decision, 400, "GET");
        Assert.Contains(method, decision.Reason);
    }

    [Theory]
    [InlineData("HTTP/1.0")]
    [InlineData("HTTP/0.9")]
    public void Http_before_1_1_gets_400_naming_the_version(string protocol)
    {
        var decision = Decide(Valid with { Protocol = protocol });

        AssertRefused(decision, 400, "HTTP/1.1");
        Assert.Contains(protocol, decision.Reason);
    }

    // ---- Upgrade -------------------------------------------------------------------------------

    [Fact]
    public void Upgrade_without_websocket_gets_400()
    {
        AssertRefused(Decide(Valid with { Upgrade = ["h2c"] }), 400, "Upgrade");
    }

    [Fact]
    public void Missing_upgrade_header_with_connection_upgrade_gets_400()
    {
        AssertRefused(Decide(Valid with { Upgrade = [] }), 400, "Upgrade");
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("WebSocket")]
    [InlineData("WEBSOCKET")]
    [InlineData("foo, websocket")]
    [InlineData(" websocket ")]
    public void Upgrade_token_websocket_is_found_case_insensitively_in_a_list(string upgrade)
    {
        Assert.True(Decide(Valid with { Upgrade = [upgrade] }).IsAccepted);
    }

    [Fact]
    public void Upgrade_token_on_a_second_header_line_is_found()
    {
        Assert.True(Decide(Valid with { Upgrade = ["foo", "websocket"] }).IsAccepted);
    }

    [Fact]
    public void Upgrade_value_that_only_contains_websocket_as_part_of_a_token_gets_400()
    {
        AssertRefused(Decide(Valid with { Upgrade = ["websocket2"] }), 400, "Upgrade");
    }

    // ---- Connection ----------------------------------------------------------------------------

    [Theory]
    [InlineData("Upgrade")]
    [InlineData("upgrade")]
    [InlineData("UPGRADE")]
    [InlineData("keep-alive, Upgrade")]
    [InlineData("keep-alive,upgrade")]
    [InlineData("Upgrade, keep-alive")]
    [InlineData("  keep-alive ,  Upgrade  ")]
    public void Connection_list_containing_upgrade_is_accepted_case_insensitively(string connection)
    {
        Assert.True(Decide(Valid with { Connection = [connection] }).IsAccepted);
    }

    [Fact]
    public void Connection_upgrade_on_a_second_header_line_is_accepted()
    {
        Assert.True(Decide(Valid with { Connection = ["keep-alive", "Upgrade"] }).IsAccepted);
    }

    [Theory]
    [InlineData("keep-alive")]
    [InlineData("close")]
    [InlineData("Upgraded")]
    [InlineData("keep-alive; Upgrade")]
    public void Connection_without_the_upgrade_token_gets_400(string connection)
    {
        AssertRefused(Decide(Valid with { Connection = [connection] }), 400, "Connection");
    }

    // ---- Sec-WebSocket-Key ---------------------------------------------------------------------

    [Fact]
    public void Missing_key_gets_400()
    {
        var decision = Decide(Valid with { Key = [] });

        AssertRefused(decision, 400, "Sec-WebSocket-Key");
        Assert.Contains("Missing", decision.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA=")] // 17 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==")]
    public void Invalid_key_gets_400(string key)
    {
        AssertRefused(Decide(Valid with { Key = [key] }), 400, "Sec-WebSocket-Key");
    }

    [Fact]
    public void Duplicate_key_header_gets_400_even_with_identical_values()
    {
        AssertRefused(Decide(Valid with { Key = [RfcKey, RfcKey] }), 400, "Sec-WebSocket-Key");
        AssertRefused(Decide(Valid with { Key = [RfcKey, "AAAAAAAAAAAAAAAAAAAAAA=="] }), 400, "Sec-WebSocket-Key");
    }

    // ---- Sec-WebSocket-Version -----------------------------------------------------------------

    [Fact]
    public void Missing_version_gets_426_advertising_13()
    {
        var decision = Decide(Valid with { Version = [] });

        AssertRefused(decision, 426, "Sec-WebSocket-Version");
        Assert.Contains("13", decision.Reason);
        Assert.True(decision.AdvertisesVersion);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("7")]
    [InlineData("14")]
    [InlineData("13, 8")]
    [InlineData("")]
    [InlineData("thirteen")]
    public void Other_version_gets_426_advertising_13(string version)
    {
        var decision = Decide(Valid with { Version = [version] });

        AssertRefused(decision, 426, "Sec-WebSocket-Version");
        Assert.Contains("13", decision.Reason);
    }

    [Fact]
    public void Version_on_two_header_lines_gets_426()
    {
        AssertRefused(Decide(Valid with { Version = ["13", "8"] }), 426, "Sec-WebSocket-Version");
    }

    [Fact]
    public void Version_with_whitespace_around_it_is_accepted()
    {
        Assert.True(Decide(Valid with { Version = [" 13 "] }).IsAccepted);
    }

    // ---- Subprotocols --------------------------------------------------------------------------

    [Fact]
    public void No_subprotocol_is_selected_when_the_client_offers_none()
    {
        var decision = Decide(Valid, "chat.v2", "chat.v1");

        Assert.True(decision.IsAccepted);
        Assert.Null(decision.SubProtocol);
    }

    [Fact]
    public void No_subprotocol_is_selected_when_the_server_speaks_none()
    {
        var decision = Decide(Valid with { SubProtocols = ["chat.v1"] });

        Assert.True(decision.IsAccepted);
        Assert.Null(decision.SubProtocol);
    }

    [Theory]
    [InlineData(new[] { "chat.v1" }, "chat.v1")]
    [InlineData(new[] { "chat.v2" }, "chat.v2")]
    [InlineData(new[] { "chat.v1, chat.v2" }, "chat.v2")]     // the server's preference, not the client's order
    [InlineData(new[] { "chat.v1,chat.v2" }, "chat.v2")]
    [InlineData(new[] { "chat.v1", "chat.v2" }, "chat.v2")]   // across header lines
    [InlineData(new[] { "other, chat.v1", "more" }, "chat.v1")]
    [InlineData(new[] { " , chat.v1 ,, " }, "chat.v1")]
    public void Subprotocol_is_the_servers_first_preference_among_those_offered(string[] offered, string expected)
    {
        var decision = Decide(Valid with { SubProtocols = offered }, "chat.v2", "chat.v1");

        Assert.True(decision.IsAccepted);
        Assert.Equal(expected, decision.SubProtocol);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("chat.v3, other")]
    [InlineData("chat")]
    [InlineData("chat.v1x")]
    [InlineData("")]
    public void Unknown_subprotocols_are_never_selected_and_the_handshake_still_succeeds(string offered)
    {
        var decision = Decide(Valid with { SubProtocols = [offered] }, "chat.v2", "chat.v1");

        Assert.True(decision.IsAccepted);
        Assert.Null(decision.SubProtocol);
    }

    [Fact]
    public void Selected_subprotocol_is_always_one_the_client_offered()
    {
        var server = new[] { "a", "b", "c", "d" };
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var offered = new[] { "a", "b", "c", "d", "x", "y" }.Where(_ => random.Next(2) == 0).ToArray();

            var decision = Decide(Valid with { SubProtocols = [string.Join(", ", offered)] }, server);

            var expected = server.FirstOrDefault(offered.Contains);
            Assert.Equal(expected, decision.SubProtocol);
        }
    }

    // ---- Origin --------------------------------------------------------------------------------

    [Theory]
    [InlineData("https://friend.example")]     // configured
    [InlineData("http://game.example:8080")]   // same host and port
    [InlineData("http://localhost:3000")]      // loopback
    public void Allowed_origins_are_accepted(string origin)
    {
        Assert.True(Decide(Valid with { Origin = [origin] }).IsAccepted);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://game.example:9999")]
    [InlineData("garbage")]
    public void Other_origins_get_403_naming_the_origin(string origin)
    {
        var decision = Decide(Valid with { Origin = [origin] });

        AssertRefused(decision, 403, "Origin");
        Assert.Contains(origin, decision.Reason);
    }

    [Fact]
    public void Two_origin_headers_get_403()
    {
        AssertRefused(Decide(Valid with { Origin = ["https://friend.example", "https://evil.example"] }), 403, "Origin");
    }

    // ---- Order -------------------------------------------------------------------------------

    [Fact]
    public void The_first_failed_requirement_in_rfc_order_is_the_one_named()
    {
        var everythingWrong = Valid with { Method = "POST", Protocol = "HTTP/1.0", Upgrade = ["h2c"], Key = ["bad"], Version = ["8"], Origin = ["https://evil.example"] };

        AssertRefused(Decide(everythingWrong), 400, "GET");
        AssertRefused(Decide(everythingWrong with { Method = "GET" }), 400, "HTTP/1.1");
        AssertRefused(Decide(everythingWrong with { Method = "GET", Protocol = "HTTP/1.1" }), 400, "Upgrade");
        AssertRefused(Decide(everythingWrong with { Method = "GET", Protocol = "HTTP/1.1", Upgrade = ["websocket"] }), 400, "Sec-WebSocket-Key");
        AssertRefused(Decide(everythingWrong with { Method = "GET", Protocol = "HTTP/1.1", Upgrade = ["websocket"], Key = [RfcKey] }), 426, "Sec-WebSocket-Version");
        AssertRefused(Decide(everythingWrong with { Method = "GET", Protocol = "HTTP/1.1", Upgrade = ["websocket"], Key = [RfcKey], Version = ["13"] }), 403, "Origin");
    }
}
