using System.Text;

namespace KafkaSync.Engine.Records;

/// <summary>
/// Decodes short UTF-8 strings through a small per-thread cache. Topic names and header keys
/// repeat on nearly every record, so a stage that decodes records turns them into the same few
/// strings again and again; reusing them spares an allocation and a decode per field.
/// </summary>
internal static class Utf8Interner
{
    /// <summary>Longer strings are decoded as usual: names and keys are short, values are not interned.</summary>
    private const int MaxBytes = 64;

    private const int Slots = 64;

    [ThreadStatic]
    private static Entry[]? _cache;

    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var cache = _cache ??= new Entry[Slots];
        ref var slot = ref cache[(int)((uint)Hash(utf8) % Slots)];
        if (slot.Bytes is { } bytes && utf8.SequenceEqual(bytes))
        {
            return slot.Text!;
        }

        // A collision replaces the slot: the cache stays small and the newest string wins.
        var text = Encoding.UTF8.GetString(utf8);
        slot = new Entry(utf8.ToArray(), text);
        return text;
    }

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        // FNV-1a: cheap and good enough to spread a handful of names over the slots.
        var hash = 2166136261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)hash;
    }

    private readonly record struct Entry(byte[]? Bytes, string? Text);
}
