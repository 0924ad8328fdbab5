namespace KafkaSync.Engine.Queue;

/// <summary>
/// A queue waiting for room on its disk: its writes stopped on a full disk (or an exhausted quota)
/// and are retried until they succeed. Nothing appended is lost meanwhile; appends wait once the
/// queue's write buffer is full, which pauses what feeds the queue.
/// </summary>
/// <param name="Path">The queue's folder.</param>
/// <param name="Since">When the first write failed (UTC).</param>
/// <param name="FreeBytes">Free bytes on that disk at the last attempt; -1 when unknown.</param>
/// <param name="Attempts">Failed attempts so far.</param>
/// <param name="Operation">What failed: writing records, syncing them, starting a segment, saving a cursor.</param>
public sealed record QueueDiskFull(string Path, DateTimeOffset Since, long FreeBytes, long Attempts, string Operation)
{
    /// <summary>The status note an agent shows while paused.</summary>
    public string Note => FreeBytes >= 0
        ? $"paused: disk full at {Path}, {FreeBytes:N0} bytes free; retrying"
        : $"paused: disk full at {Path}; retrying";
}
