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

    /// <summary>Joins the lines of <paramref name="records"/> into one request body.</summary>
    public static byte[] Body(IReadOnlyList<PendingRecord> records)
    {
        var size = 0;
        foreach (var r in records)
        {
            size += r.Lines.Length + 1;
        }

        var body = new byte[size];
        var at = 0;
        foreach (var r in records)
        {
            r.Lines.CopyTo(body, at);
            at += r.Lines.Length;
            body[at++] = (byte)'\n';
        }

        return body;
    }
}
