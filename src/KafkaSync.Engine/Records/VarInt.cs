namespace KafkaSync.Engine.Records;

/// <summary>LEB128 varints with zig-zag for signed values, as Kafka and protobuf use them.</summary>
public static class VarInt
{
    /// <summary>Longest encoding of a 64-bit value.</summary>
    public const int MaxLength = 10;

    /// <summary>Maps signed to unsigned so small magnitudes stay short.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>Inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes <paramref name="value"/>; returns the bytes used.</summary>
    public static int WriteUnsigned(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint; false when the span ends first or the value overflows 64 bits.</summary>
    public static bool TryReadUnsigned(ReadOnlySpan<byte> span, out ulong value, out int used)
    {
        value = 0;
        for (var i = 0; i < span.Length && i < MaxLength; i++)
        {
            var b = span[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                used = i + 1;
                return i < MaxLength - 1 || b <= 1;
            }
        }

        used = 0;
        return false;
    }
}
