using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// The on-disk frame of one queue record, little-endian:
/// length u32 | crc32c u32 | seq i64 | append time (Unix ms) i64 | durable lag u32 | payload.
/// The CRC covers every other byte of the frame. "Durable lag" is seq minus the queue's durable
/// seq when the record was appended: it lets recovery tell a torn, never-committed tail (cut it)
/// from damage to records that a later record proves were committed (report it).
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 28;

    public static int FrameSize(int payloadLength) => HeaderSize + payloadLength;

    public static void Write(Span<byte> frame, long seq, long timeMs, long durableSeq, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], seq);
        BinaryPrimitives.WriteInt64LittleEndian(frame[16..], timeMs);
        var lag = seq - durableSeq;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[24..], lag is > 0 and < uint.MaxValue ? (uint)lag : uint.MaxValue);
        payload.CopyTo(frame[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Checksum(frame[..(HeaderSize + payload.Length)]));
    }

    public static uint Checksum(ReadOnlySpan<byte> frame) => Crc32C(Crc32C(0xFFFFFFFF, frame[..4]), frame[8..]) ^ 0xFFFFFFFF;

    /// <summary>Decodes the header at the start of <paramref name="data"/>; false when fewer than a header's bytes remain.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out Header header)
    {
        if (data.Length < HeaderSize)
        {
            header = default;
            return false;
        }

        header = new Header(
            BinaryPrimitives.ReadInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[24..]));
        return true;
    }

    /// <summary>A plain CRC32C of <paramref name="data"/>, for side files.</summary>
    public static uint Crc(ReadOnlySpan<byte> data) => Crc32C(0xFFFFFFFF, data) ^ 0xFFFFFFFF;

    private static uint Crc32C(uint crc, ReadOnlySpan<byte> data)
    {
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var value in longs)
        {
            crc = BitOperations.Crc32C(crc, value);
        }

        foreach (var b in data[(longs.Length * 8)..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>A decoded record header.</summary>
    internal readonly record struct Header(int Length, uint Crc, long Seq, long TimeMs, uint DurableLag)
    {
        /// <summary>The highest seq this record proves was durable when it was appended (0 when unknown).</summary>
        public long ProvesDurable => DurableLag == uint.MaxValue ? 0 : Seq - DurableLag;

        public int FrameSize => HeaderSize + Length;
    }
}
