using System.Buffers.Binary;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// The fixed 36-byte frame header, little-endian:
/// magic "KSFR" | version | codec | flags | reserved 0 | dictionary id u32 | first seq i64 |
/// record count u32 | raw size u32 | wire size u32 | CRC32C u32 (over bytes 0..31 and the payload).
/// </summary>
internal readonly record struct FrameHeader(
    FrameCodec Codec, FrameFlags Flags, uint DictionaryId, long FirstSeq, int Count, int RawSize, int WireSize, uint Crc)
{
    public const int Size = 36;
    public const int CrcOffset = 32;
    public const byte Version = 1;
    public static ReadOnlySpan<byte> Magic => "KSFR"u8;

    public void Write(Span<byte> span)
    {
        Magic.CopyTo(span);
        span[4] = Version;
        span[5] = (byte)Codec;
        span[6] = (byte)Flags;
        span[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], DictionaryId);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], FirstSeq);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], RawSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], WireSize);
        BinaryPrimitives.WriteUInt32LittleEndian(span[CrcOffset..], Crc);
    }

    /// <summary>Checks as much of the magic as has arrived, so garbage is refused at its first byte.</summary>
    public static void CheckMagicPrefix(ReadOnlySpan<byte> available)
    {
        var n = Math.Min(available.Length, Magic.Length);
        if (!available[..n].SequenceEqual(Magic[..n]))
        {
            throw new FrameException(FrameError.BadMagic, $"expected \"KSFR\", got {Convert.ToHexString(available[..n])}");
        }
    }

    /// <summary>Parses and bounds-checks a header; every declared size is checked here, before any allocation.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> span, int maxRawBytes, int maxRecords)
    {
        CheckMagicPrefix(span[..4]);
        if (span[4] != Version)
        {
            throw new FrameException(FrameError.BadVersion, $"frame version {span[4]}; this build reads version {Version}");
        }

        var codec = (FrameCodec)span[5];
        if (codec is not (FrameCodec.None or FrameCodec.Zstd))
        {
            throw new FrameException(FrameError.BadCodec, $"unknown codec {span[5]}");
        }

        var flags = (FrameFlags)span[6];
        if ((flags & ~FrameFlags.All) != 0 || span[7] != 0)
        {
            throw new FrameException(FrameError.BadFlags, $"unknown flags 0x{span[6]:x2} or reserved byte 0x{span[7]:x2}");
        }

        var header = new FrameHeader(
            codec,
            flags,
            BinaryPrimitives.ReadUInt32LittleEndian(span[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[24..]),
            BinaryPrimitives.ReadInt32LittleEndian(span[28..]),
            BinaryPrimitives.ReadUInt32LittleEndian(span[CrcOffset..]));

        if (header.Count < 1 || header.Count > maxRecords)
        {
            throw new FrameException(FrameError.SizeLimit, $"record count {header.Count} is outside 1..{maxRecords}");
        }

        if (header.FirstSeq < 0 || header.FirstSeq > long.MaxValue - header.Count)
        {
            throw new FrameException(FrameError.SizeLimit, $"first seq {header.FirstSeq} is out of range");
        }

        // The layout never needs more bytes than the payloads it carries plus a few per record.
        var maxLayout = (long)maxRawBytes + (16L * header.Count) + 64;
        if (header.RawSize < 1 || header.RawSize > maxLayout)
        {
            throw new FrameException(FrameError.SizeLimit, $"declared raw size {header.RawSize} is outside 1..{maxLayout}");
        }

        var maxWire = codec == FrameCodec.None ? header.RawSize : MaxCompressedSize(header.RawSize);
        if (header.WireSize < 1 || header.WireSize > maxWire || (codec == FrameCodec.None && header.WireSize != header.RawSize))
        {
            throw new FrameException(FrameError.SizeLimit, $"declared wire size {header.WireSize} does not fit raw size {header.RawSize} (at most {maxWire})");
        }

        if ((flags & FrameFlags.FieldColumns) != 0 && (flags & FrameFlags.Columnar) == 0)
        {
            throw new FrameException(FrameError.BadFlags, "field columns are flagged on a frame without the columnar layout");
        }

        if (codec == FrameCodec.None && (header.DictionaryId != 0 || (flags & FrameFlags.Streamed) != 0))
        {
            throw new FrameException(FrameError.BadFlags, "a frame without compression names a dictionary or a stream");
        }

        return header;
    }

    /// <summary>zstd's worst case (ZSTD_COMPRESSBOUND) plus room for closing a previous zstd frame.</summary>
    public static int MaxCompressedSize(int rawSize) =>
        (int)Math.Min(int.MaxValue, rawSize + (rawSize >> 8) + (rawSize < (128 << 10) ? ((128 << 10) - rawSize) >> 11 : 0) + 64);
}

/// <summary>Frame header flag bits.</summary>
[Flags]
internal enum FrameFlags : byte
{
    None = 0,

    /// <summary>The records use the columnar layout (else the row layout).</summary>
    Columnar = 1,

    /// <summary>The payload continues the connection's zstd stream (else it starts a fresh one).</summary>
    Streamed = 2,

    /// <summary>The columnar layout also holds JSON-like values as templates and field columns (link protocol 2 on).</summary>
    FieldColumns = 4,

    All = Columnar | Streamed | FieldColumns,
}
