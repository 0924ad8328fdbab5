namespace KafkaSync.Engine.Framing;

/// <summary>How a frame's payload is compressed (a byte in the frame header).</summary>
public enum FrameCodec : byte
{
    /// <summary>Stored as is.</summary>
    None = 0,

    /// <summary>zstd, optionally with a trained dictionary and one stream per connection.</summary>
    Zstd = 1,
}
