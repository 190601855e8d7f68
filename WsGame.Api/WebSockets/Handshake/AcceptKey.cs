using System.Security.Cryptography;
using System.Text;

namespace WsGame.Api.WebSockets.Handshake;

/// <summary>The Sec-WebSocket-Key / Sec-WebSocket-Accept pair of RFC 6455 section 4.2.</summary>
public static class AcceptKey
{
    /// <summary>Section 1.3: the GUID every server appends to the client's key.</summary>
    private static ReadOnlySpan<byte> Guid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    private const int KeyBytes = 16;
    private const int EncodedKeyLength = 24;

    /// <summary>Section 4.1: the key "MUST be a nonce consisting of a randomly selected 16-byte value that has been base64-encoded".</summary>
    public static bool IsValidKey(string key)
    {
        if (key.Length != EncodedKeyLength)
        {
            return false;
        }
        Span<byte> decoded = stackalloc byte[KeyBytes + 2];
        return Convert.TryFromBase64String(key, decoded, out var written) && written == KeyBytes;
    }

    /// <summary>Section 4.2.2: base64 of the SHA-1 of the key (as sent, trimmed) followed by the GUID.</summary>
    public static string Compute(string key)
    {
        Span<byte> input = stackalloc byte[EncodedKeyLength + Guid.Length];
        var keyLength = Encoding.ASCII.GetBytes(key.AsSpan().Trim(), input);
        Guid.CopyTo(input[keyLength..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..(keyLength + Guid.Length)], hash);
        return Convert.ToBase64String(hash);
    }
}
