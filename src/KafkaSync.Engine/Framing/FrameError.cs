namespace KafkaSync.Engine.Framing;

/// <summary>Why a frame was rejected.</summary>
public enum FrameError
{
    /// <summary>The bytes do not start with the frame magic (garbage, or not a KafkaSync peer).</summary>
    BadMagic,

    /// <summary>A frame format version this build does not read.</summary>
    BadVersion,

    /// <summary>An unknown codec byte.</summary>
    BadCodec,

    /// <summary>Unknown flag bits or a non-zero reserved byte.</summary>
    BadFlags,

    /// <summary>A declared size or count is over its limit, or zero where it cannot be.</summary>
    SizeLimit,

    /// <summary>The CRC32C does not match: the frame was damaged.</summary>
    Crc,

    /// <summary>The compressed payload is corrupt, or decodes to a size other than the declared one.</summary>
    Decompress,

    /// <summary>The decompressed bytes are not a valid record layout.</summary>
    BadLayout,

    /// <summary>The frame needs a dictionary this receiver does not have.</summary>
    UnknownDictionary,

    /// <summary>The frame's first seq does not follow the previous frame's last seq.</summary>
    SeqGap,
}
