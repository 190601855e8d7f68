using System.Text;

namespace WsGame.Api.Tests.WebSockets.Conformance;

/// <summary>Deterministic test payloads.</summary>
internal static class Payloads
{
    private static readonly string[] TextPieces = ["a", "é", "€", "😀", "Z", "κ", " "];

    /// <summary>Valid UTF-8 of exactly <paramref name="length"/> bytes mixing 1-, 2-, 3- and 4-byte sequences.</summary>
    public static byte[] Text(int length)
    {
        var bytes = new byte[length];
        var position = 0;
        var piece = 0;
        while (position < length)
        {
            var encoded = Encoding.UTF8.GetBytes(TextPieces[piece++ % TextPieces.Length]);
            if (encoded.Length > length - position)
            {
                encoded = "x"u8.ToArray();
            }

            encoded.CopyTo(bytes, position);
            position += encoded.Length;
        }

        return bytes;
    }

    /// <summary>
    /// <paramref name="length"/> pseudo-random bytes (fixed seed), including bytes that are not valid UTF-8.
    /// </summary>
    public static byte[] Binary(int length, int seed = 6455)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="payload"/> cut into pieces of at most <paramref name="size"/> bytes (one empty piece for an empty payload).</summary>
    public static List<byte[]> Chunks(byte[] payload, int size)
    {
        if (payload.Length == 0)
        {
            return [[]];
        }

        return payload.Chunk(size).ToList();
    }

    /// <summary><paramref name="payload"/> cut into <paramref name="count"/> pieces of about equal size.</summary>
    public static List<byte[]> Split(byte[] payload, int count)
    {
        var pieces = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var start = payload.Length * i / count;
            var end = payload.Length * (i + 1) / count;
            pieces.Add(payload[start..end]);
        }

        return pieces;
    }
}
