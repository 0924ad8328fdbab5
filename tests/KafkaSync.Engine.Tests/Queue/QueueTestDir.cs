using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>A unique temporary queue folder, deleted afterwards.</summary>
internal sealed class QueueTestDir : IDisposable
{
    public QueueTestDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ksq-" + Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    public DiskQueueOptions Options(long segmentBytes = 64 * 1024, long capacityBytes = 1L << 30, FsyncPolicy fsync = FsyncPolicy.EachCommit) =>
        new() { Path = Path, SegmentBytes = segmentBytes, CapacityBytes = capacityBytes, Fsync = fsync };

    public string[] SegmentFiles() => Directory.GetFiles(Path, "*.seg").Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>A payload whose bytes are derived from its seq, so a reader can check it.</summary>
    public static byte[] PayloadFor(long seq, int size)
    {
        var bytes = new byte[size];
        new Random(unchecked((int)seq * 7919)).NextBytes(bytes);
        return bytes;
    }

    public static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Reads every durable record from <paramref name="fromSeq"/>.</summary>
    public static List<QueueRecord> ReadAll(DiskQueue queue, long fromSeq)
    {
        using var reader = queue.OpenReader(fromSeq);
        var records = new List<QueueRecord>();
        while (reader.TryRead(out var record))
        {
            records.Add(record);
        }

        return records;
    }
}
