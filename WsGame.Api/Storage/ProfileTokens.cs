using System.Security.Cryptography;
using System.Text;

namespace WsGame.Api.Storage;

/// <summary>
/// Profile ids and tokens. A token is the profile's id, a dot, and 256 random bits: the id lets any node find
/// the profile without an index of tokens, and the random part is the secret. Only the token's SHA-256 is
/// stored, so the database cannot be used to sign in.
/// </summary>
public static class ProfileTokens
{
    /// <summary>Characters in an id (and a match id): 64 random bits in lower-case hex.</summary>
    public const int IdLength = 16;

    private const int SecretBytes = 32;

    /// <summary>A new random id: for a profile or a match.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));

    /// <summary>A new profile's id and token.</summary>
    public static (string Id, string Token) NewProfile()
    {
        var id = NewId();
        return (id, $"{id}.{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}");
    }

    /// <summary>The profile id a well-formed token names; false for anything else (which gets a fresh profile).</summary>
    public static bool TryGetId(string? token, out string id)
    {
        id = "";
        if (token is null || token.Length != IdLength + 1 + 43 || token[IdLength] != '.')
        {
            return false;
        }
        for (var i = 0; i < IdLength; i++)
        {
            if (!char.IsAsciiHexDigitLower(token[i]))
            {
                return false;
            }
        }
        for (var i = IdLength + 1; i < token.Length; i++)
        {
            var c = token[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        id = token[..IdLength];
        return true;
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> is the one <paramref name="storedHash"/> was made from, in constant time.</summary>
    public static bool Matches(string token, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(storedHash));
}
