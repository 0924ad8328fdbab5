using System.Buffers.Binary;
using System.Numerics;

namespace KafkaSync.Engine.Framing;

/// <summary>CRC32C (Castagnoli) on the CPU's CRC instructions, eight bytes per step.</summary>
internal static class Crc32C
{
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    public static uint Compute(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        ~Append(Append(uint.MaxValue, header), payload);
}
