namespace KafkaSync.Engine.Framing;

/// <summary>How records are laid out inside a frame before compression (a flag in the frame header).</summary>
public enum FrameLayout
{
    /// <summary>Each payload after its length, one record after another.</summary>
    Row = 0,

    /// <summary>
    /// Record fields grouped by column: topic and header-key tables, partitions, offsets and
    /// timestamps as deltas, lengths, then all keys, all values, all header values. Similar bytes
    /// end up next to each other, which zstd rewards.
    /// </summary>
    Columnar = 1,
}
