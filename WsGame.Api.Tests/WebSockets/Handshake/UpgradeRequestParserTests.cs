using System.Text;
using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.Tests.WebSockets.Handshake;

/// <summary>
/// The fast path's reader of request heads: it reads a plain handshake as Kestrel presents it, and declines (null)
/// every head whose meaning Kestrel's parser or pipeline would decide differently, so Kestrel gets to answer it.
/// </summary>
public sealed class UpgradeRequestParserTests
{
    private static readonly RequestHeadLimits Limits = new(MaxRequestLineSize: 8192, MaxHeadersTotalSize: 32768, MaxHeaderCount: 100);

    private const string PlainFields =
        "Host: 127.0.0.1:8080\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private static UpgradeRequest? Parse(string head, RequestHeadLimits? limits = null) =>
        UpgradeRequestParser.TryParse(Encoding.Latin1.GetBytes(head), limits ?? Limits);

    [Fact]
    public void A_plain_handshake_is_read_with_its_path_and_trimmed_fields()
    {
        var request = Parse("GET /ws/echo?room=1 HTTP/1.1\r\n" + PlainFields +
            "Sec-WebSocket-Protocol:  chat.v1 \r\nSec-WebSocket-Protocol: chat.v2\r\nOrigin: http://127.0.0.1:8080\r\nUser-Agent: test/1.0\r\n\r\n");

        Assert.NotNull(request);
        Assert.Equal("/ws/echo", request.Path);
        var handshake = request.Handshake;
        Assert.Equal(("GET", "HTTP/1.1", "127.0.0.1:8080"), (handshake.Method, handshake.Protocol, handshake.Host));
        Assert.Equal(["websocket"], handshake.Upgrade);
        Assert.Equal(["keep-alive, Upgrade"], handshake.Connection);
        Assert.Equal(["dGhlIHNhbXBsZSBub25jZQ=="], handshake.Key);
        Assert.Equal(["13"], handshake.Version);
        Assert.Equal(["chat.v1", "chat.v2"], handshake.SubProtocols);
        Assert.Equal(["http://127.0.0.1:8080"], handshake.Origin);
    }

    [Fact]
    public void Field_names_are_matched_whatever_their_case()
    {
        var request = Parse("GET /ws HTTP/1.1\r\nhost: example.com\r\nUPGRADE: websocket\r\nconnection: upgrade\r\n" +
            "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n");

        Assert.NotNull(request);
        Assert.Equal("example.com", request.Handshake.Host);
        Assert.Equal(["websocket"], request.Handshake.Upgrade);
    }

    [Fact]
    public void A_handshake_the_rules_refuse_is_still_read_so_the_decision_is_theirs()
    {
        var request = Parse("GET /ws/echo HTTP/1.1\r\nHost: example.com\r\n\r\n");

        Assert.NotNull(request);
        Assert.Empty(request.Handshake.Key);
    }

    [Theory]
    [InlineData("POST /ws/echo HTTP/1.1")]
    [InlineData("get /ws/echo HTTP/1.1")]
    [InlineData("GET /ws/echo HTTP/1.0")]
    [InlineData("GET /ws/echo HTTP/2.0")]
    [InlineData("GET http://example.com/ws/echo HTTP/1.1")]
    [InlineData("GET * HTTP/1.1")]
    [InlineData("GET /ws/ech%6F HTTP/1.1")]
    [InlineData("GET /ws/./echo HTTP/1.1")]
    [InlineData("GET /ws/x/../echo HTTP/1.1")]
    [InlineData("GET /ws/echo#top HTTP/1.1")]
    [InlineData("GET /ws/echo\"x HTTP/1.1")]
    [InlineData("GET  /ws/echo HTTP/1.1")]
    [InlineData("GET /ws/echo  HTTP/1.1")]
    public void A_request_line_that_is_not_plain_is_left_to_kestrel(string requestLine) =>
        Assert.Null(Parse(requestLine + "\r\n" + PlainFields + "\r\n"));

    [Theory]
    [InlineData("Content-Length: 0")]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("X-Forwarded-For: 10.1.2.3")]
    [InlineData("x-forwarded-proto: https")]
    [InlineData("Host: second.example")]
    [InlineData("Bad Name: x")]
    [InlineData("Name : x")]
    [InlineData(": no name")]
    [InlineData("no colon")]
    [InlineData(" folded: onto the line before")]
    [InlineData("Cookie: caf\u00e9")]
    [InlineData("Cookie: a\u0001b")]
    public void A_field_that_is_not_plain_is_left_to_kestrel(string field) =>
        Assert.Null(Parse("GET /ws/echo HTTP/1.1\r\n" + PlainFields + field + "\r\n\r\n"));

    [Theory]
    [InlineData("")]
    [InlineData("exa mple.com")]
    [InlineData("example.com:")]
    [InlineData("example.com:123456")]
    [InlineData("example.com:80x")]
    [InlineData("user@example.com")]
    [InlineData("[::1")]
    [InlineData("[zz]:80")]
    public void A_host_that_is_not_plain_is_left_to_kestrel(string host) =>
        Assert.Null(Parse("GET /ws/echo HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n\r\n"));

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:8080")]
    [InlineData("[::1]")]
    public void A_plain_host_is_read(string host) =>
        Assert.Equal(host, Parse("GET /ws/echo HTTP/1.1\r\nHost: " + host + "\r\n\r\n")?.Handshake.Host);

    [Fact]
    public void A_head_without_host_is_left_to_kestrel() =>
        Assert.Null(Parse("GET /ws/echo HTTP/1.1\r\nUpgrade: websocket\r\n\r\n"));

    [Fact]
    public void Bare_line_feeds_are_left_to_kestrel() =>
        Assert.Null(Parse("GET /ws/echo HTTP/1.1\nHost: example.com\n\n"));

    [Fact]
    public void A_head_over_any_of_kestrels_limits_is_left_to_kestrel()
    {
        var head = "GET /ws/echo HTTP/1.1\r\n" + PlainFields + "\r\n";
        Assert.NotNull(Parse(head));
        Assert.Null(Parse(head, Limits with { MaxRequestLineSize = 20 }));
        Assert.Null(Parse(head, Limits with { MaxHeaderCount = 4 }));
        Assert.Null(Parse(head, Limits with { MaxHeadersTotalSize = 50 }));
    }

    [Fact]
    public void The_head_ends_after_its_blank_line()
    {
        var bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n\x81\x00");
        Assert.Equal(bytes.Length - 2, UpgradeRequestParser.HeadLength(bytes));
        Assert.Equal(-1, UpgradeRequestParser.HeadLength(bytes.AsSpan(0, 20)));
    }
}
