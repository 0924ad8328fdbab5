using System.Buffers.Binary;
using KafkaSync.Engine.Framing;

namespace KafkaSync.Engine.Tests.Framing;

/// <summary>Builds hostile frames whose CRC is right, so checks behind the CRC get exercised.</summary>
internal static class FrameForge
{
    public static byte[] Seal(FrameCodec codec, byte flags, uint dictionaryId, long firstSeq, int count, int rawSize, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(codec, (FrameFlags)flags, dictionaryId, firstSeq, count, rawSize, payload.Length, 0).Write(frame);
        payload.CopyTo(frame.AsSpan(FrameHeader.Size));
        Reseal(frame);
        return frame;
    }

    /// <summary>Recomputes the CRC of a frame whose bytes were changed.</summary>
    public static void Reseal(byte[] frame)
    {
        var wire = Math.Min(BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(28)), frame.Length - FrameHeader.Size);
        var crc = Crc32C.Compute(frame.AsSpan(0, FrameHeader.CrcOffset), frame.AsSpan(FrameHeader.Size, Math.Max(0, wire)));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(FrameHeader.CrcOffset), crc);
    }

    public static void SetInt32(byte[] frame, int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(offset), value);
}
