using System.Globalization;

namespace KafkaSync.Engine.Configuration;

/// <summary>
/// A size in bytes that reads and prints the way people write it ("64MiB", "1.5g", "512k")
/// and still sorts as a number.
/// </summary>
public readonly record struct ByteSize(long Bytes) : IComparable<ByteSize>
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("tib", 1L << 40), ("tb", 1L << 40), ("t", 1L << 40),
        ("gib", 1L << 30), ("gb", 1L << 30), ("g", 1L << 30),
        ("mib", 1L << 20), ("mb", 1L << 20), ("m", 1L << 20),
        ("kib", 1L << 10), ("kb", 1L << 10), ("k", 1L << 10),
        ("b", 1),
    ];

    /// <summary>Parses "4096", "64MiB", "1.5g", "512 KB" (binary units throughout).</summary>
    /// <exception cref="OptionsException">The text is not a size; the message names <paramref name="field"/>.</exception>
    public static ByteSize Parse(string text, string field = "size")
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal);
        long factor = 1;
        foreach (var (suffix, f) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                t = t[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsInfinity(number))
        {
            throw new OptionsException(field, $"'{text}' is not a size; write a number with an optional unit, e.g. 4096, 512KiB, 64MiB, 2GiB.");
        }

        return new ByteSize(checked((long)Math.Round(number * factor)));
    }

    /// <summary>Formats with the largest binary unit that keeps the number at or above 1: "64 MiB".</summary>
    public static string Format(long bytes)
    {
        if (Math.Abs(bytes) < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        string[] units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = -1;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <inheritdoc />
    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    /// <inheritdoc />
    public override string ToString() => Format(Bytes);

    /// <summary>Compares by size.</summary>
    public static bool operator <(ByteSize left, ByteSize right) => left.Bytes < right.Bytes;

    /// <summary>Compares by size.</summary>
    public static bool operator >(ByteSize left, ByteSize right) => left.Bytes > right.Bytes;

    /// <summary>Compares by size.</summary>
    public static bool operator <=(ByteSize left, ByteSize right) => left.Bytes <= right.Bytes;

    /// <summary>Compares by size.</summary>
    public static bool operator >=(ByteSize left, ByteSize right) => left.Bytes >= right.Bytes;
}
