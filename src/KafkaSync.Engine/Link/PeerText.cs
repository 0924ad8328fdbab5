using System.Globalization;
using System.Text;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Makes text a peer sent safe to log and to show in status: control and format characters (line
/// breaks, escape sequences, bidirectional overrides) become visible <c>\uXXXX</c> escapes, so a
/// peer can never forge a log line or hide text; and the length is capped, so it cannot flood one.
/// Applied where such text is decoded, so nothing unescaped travels further.
/// </summary>
internal static class PeerText
{
    /// <summary>Longest source id shown, in characters.</summary>
    public const int MaxSourceId = 96;

    /// <summary>Longest reason shown from a peer's Goodbye, in characters.</summary>
    public const int MaxReason = 200;

    public static string Clean(string text, int maxChars)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxChars) + 16);
        var shown = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (shown >= maxChars)
            {
                builder.Append(CultureInfo.InvariantCulture, $"…(+{text.Length - shown} chars)");
                break;
            }

            if (IsUnsafe(rune))
            {
                if (rune.IsBmp)
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}");
                }
                else
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}");
                }
            }
            else
            {
                builder.Append(rune.ToString());
            }

            shown += rune.Utf16SequenceLength;
        }

        return builder.ToString();
    }

    private static bool IsUnsafe(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
        or UnicodeCategory.OtherNotAssigned;
}
