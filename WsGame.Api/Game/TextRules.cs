using System.Globalization;

namespace WsGame.Api.Game;

/// <summary>
/// How long a text is, counted as a person counts characters: one per grapheme cluster (Unicode UAX #29), so an
/// emoji, a flag or a letter with its accents is one, whatever its UTF-16 or UTF-8 length. The one place for
/// the length rules of names, room names and chat.
/// </summary>
public static class TextRules
{
    public static int Characters(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>Trimmed, 1 to <paramref name="max"/> characters and no control characters: the text; otherwise null.</summary>
    public static string? ValidName(string? text, int max)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > max * 64)
        {
            return null; // empty, or far too long to be worth counting
        }
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (System.Text.Rune.IsControl(rune))
            {
                return null;
            }
        }
        return Characters(trimmed) <= max ? trimmed : null;
    }
}
