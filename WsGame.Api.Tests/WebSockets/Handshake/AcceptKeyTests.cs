using System.Security.Cryptography;
using System.Text;
using WsGame.Api.WebSockets.Handshake;

namespace WsGame.Api.Tests.WebSockets.Handshake;

/// <summary>Sec-WebSocket-Key validation and the Sec-WebSocket-Accept answer (RFC 6455 sections 1.3, 4.1, 4.2.2).</summary>
public sealed class AcceptKeyTests
{
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    [Fact]
    public void Rfc_section_1_3_example_key_gives_the_example_accept_value()
    {
        Assert.Equal(RfcAccept, AcceptKey.Compute(RfcKey));
    }

    [Fact]
    public void Rfc_example_key_is_valid()
    {
        // "the sample nonce": 16 bytes.
        Assert.Equal("the sample nonce", Encoding.ASCII.GetString(Convert.FromBase64String(RfcKey)));
        Assert.True(AcceptKey.IsValidKey(RfcKey));
    }

    [Fact]
    public void Accept_value_is_base64_of_sha1_of_the_key_and_the_guid_for_random_keys()
    {
        var random = new Random(1455);
        for (var i = 0; i < 50; i++)
        {
            var nonce = new byte[16];
            random.NextBytes(nonce);
            var key = Convert.ToBase64String(nonce);
            var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

            Assert.True(AcceptKey.IsValidKey(key), key);
            Assert.Equal(expected, AcceptKey.Compute(key));
            Assert.Equal(28, AcceptKey.Compute(key).Length);
        }
    }

    [Theory]
    [InlineData(" dGhlIHNhbXBsZSBub25jZQ==")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ== ")]
    [InlineData("\tdGhlIHNhbXBsZSBub25jZQ==  ")]
    public void Accept_value_ignores_whitespace_around_the_key(string key)
    {
        Assert.Equal(RfcAccept, AcceptKey.Compute(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ=")]   // 23 characters
    [InlineData("dGhlIHNhbXBsZSBub25jZQ===")] // 25 characters
    [InlineData("dGhlIHNhbXBsZSBub25jZQ")]    // padding dropped
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==")]
    public void Key_of_the_wrong_length_is_invalid(string key)
    {
        Assert.False(AcceptKey.IsValidKey(key));
    }

    [Theory]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!==")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ-_")] // base64url alphabet
    [InlineData("dGhlIHNhbXBsZSBub25j=Q==")] // padding in the middle
    [InlineData("dGhlIHNhbXBsZSBub25jZ€==")]
    [InlineData("the sample nonce is here")] // 24 characters, spaces
    public void Key_that_is_not_base64_is_invalid(string key)
    {
        Assert.Equal(24, key.Length);
        Assert.False(AcceptKey.IsValidKey(key));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(12)]
    [InlineData(0)]
    public void Key_that_does_not_decode_to_16_bytes_is_invalid(int byteCount)
    {
        var key = Convert.ToBase64String(Enumerable.Range(1, byteCount).Select(i => (byte)i).ToArray());

        Assert.False(AcceptKey.IsValidKey(key), $"{key} ({byteCount} bytes)");
    }

    [Fact]
    public void Key_of_15_bytes_padded_with_whitespace_to_24_characters_is_invalid()
    {
        // 15 bytes are 20 base64 characters; base64 decoding skips whitespace, so pad to the right length with it.
        var key = Convert.ToBase64String(new byte[15]) + "    ";

        Assert.Equal(24, key.Length);
        Assert.False(AcceptKey.IsValidKey(key));
    }

    [Fact]
    public void Key_of_17_bytes_has_the_right_length_but_is_invalid()
    {
        var key = Convert.ToBase64String(new byte[17]);

        Assert.Equal(24, key.Length);
        Assert.False(AcceptKey.IsValidKey(key));
    }
}
