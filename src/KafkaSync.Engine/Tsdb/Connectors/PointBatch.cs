using System.Buffers;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>Records gathered for one HTTP write; the body is their lines joined by newlines.</summary>
internal sealed class PointBatch
{
    private readonly List<PendingRecord> records = [];

    public DateTime StartedAt { get; private set; }

    public int Points { get; private set; }

    public long Bytes { get; private set; }

    public IReadOnlyList<PendingRecord> Records => records;

    public bool IsEmpty => records.Count == 0;

    public void Add(PendingRecord record)
    {
        if (records.Count == 0)
        {
            StartedAt = DateTime.UtcNow;
        }

        records.Add(record);
        Points += record.Points;
        Bytes += record.Lines.Length + 1;
    }

    /// <summary>
    /// Joins the lines of <paramref name="records"/> into one request body, in a buffer rented
    /// from the shared pool: a batch body is far above the large-object threshold, and a fresh
    /// one per write would keep the collector busy with large-object-heap collections.
    /// </summary>
    /// <returns>The rented buffer (give it back with <see cref="ReturnBody"/>) and the body's length in it.</returns>
    public static (byte[] Buffer, int Length) RentBody(IReadOnlyList<PendingRecord> records)
    {
        var size = 0;
        foreach (var r in records)
        {
            size += r.Lines.Length + 1;
        }

        var body = ArrayPool<byte>.Shared.Rent(size);
        var at = 0;
        foreach (var r in records)
        {
            r.Lines.CopyTo(body, at);
            at += r.Lines.Length;
            body[at++] = (byte)'\n';
        }

        return (body, size);
    }

    /// <summary>Gives back a buffer from <see cref="RentBody"/>; only once nothing reads it any more.</summary>
    public static void ReturnBody(byte[] buffer) => ArrayPool<byte>.Shared.Return(buffer);
}
