using System.Globalization;
using System.Text.Json;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Keeps the node's marks up to date while the connector runs, and checks them. The offset marker
/// (see <see cref="NodeClient.WriteMarkerAsync"/>) follows the committed offsets, at most once per
/// <see cref="Interval"/>; it is what a returning node is judged by. The generation mark (see
/// <see cref="NodeClient.WriteGenerationAsync"/>) is written once after each such judgement and
/// looked for every <see cref="CheckInterval"/>: a node replaced or restored between two health
/// checks, which neither a health check nor a write notices, lacks it (or has an offset marker
/// that went back), even after new points and markers reached it.
/// </summary>
/// <remarks>
/// <see cref="OnPass"/> is called by the consume thread; writes and checks run one at a time in
/// the background so the consume thread never waits for the node.
/// </remarks>
internal sealed class OffsetMarker
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>A mark written this long ago must be readable (VictoriaMetrics shows new points after about a second).</summary>
    private static readonly TimeSpan VisibleAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The generation mark is written again this often so that the node's retention never removes
    /// it (InfluxDB allows policies as short as an hour).
    /// </summary>
    private static readonly TimeSpan GenerationRefresh = TimeSpan.FromMinutes(10);

    private readonly NodeClient client;
    private readonly string cluster;
    private readonly string topic;
    private readonly Action<string> lost;
    private readonly List<(DateTime At, IReadOnlyDictionary<int, long> Offsets)> written = [];
    private IReadOnlyDictionary<int, long>? lastMarked;
    private string? generation;
    private DateTime generationWrittenAt;
    private bool generationDue;
    private DateTime lastPass;
    private DateTime lastCheck;
    private int busy;
    private int epoch;
    private long verifiedTicks;
    private volatile bool checkRequested;

    public OffsetMarker(NodeClient client, string cluster, string topic, Action<string> lost)
    {
        this.client = client;
        this.cluster = cluster;
        this.topic = topic;
        this.lost = lost;
    }

    /// <summary>When the node last showed its marks, or was judged by its offset marker (<see cref="Begin"/>).</summary>
    public DateTime VerifiedAt => new(Interlocked.Read(ref verifiedTicks), DateTimeKind.Utc);

    /// <summary>Checks at the next pass, whatever the interval (the node left the list and may come back as another server).</summary>
    public void RequestCheck() => checkRequested = true;

    /// <summary>Stops checking: the offsets are about to go back on purpose, or the node is being judged.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref epoch);
        lock (written)
        {
            written.Clear();
            lastMarked = null;
            generation = null;
            generationDue = false;
        }
    }

    /// <summary>The node was judged to hold what its offsets say: leave a new generation mark and check from now on.</summary>
    public void Begin()
    {
        Reset();
        lock (written)
        {
            generation = Guid.NewGuid().ToString("N")[..16];
            generationDue = true;
        }

        Interlocked.Exchange(ref verifiedTicks, DateTime.UtcNow.Ticks);
    }

    /// <summary>Marks <paramref name="committed"/> when it changed and checks the marks when due; never waits.</summary>
    public void OnPass(DateTime now, IReadOnlyDictionary<int, long> committed, CancellationToken cancellation)
    {
        if ((now - lastPass < Interval && !checkRequested) || Volatile.Read(ref busy) != 0)
        {
            return;
        }

        lastPass = now;
        string? gen;
        bool writeGeneration;
        IReadOnlyDictionary<int, long>? expected;
        lock (written)
        {
            gen = generation;
            writeGeneration = gen != null && generationDue;
            var i = written.FindLastIndex(w => w.At <= now - VisibleAfter);
            expected = i < 0 ? null : written[i].Offsets;
        }

        var check = gen != null && !generationDue && now - generationWrittenAt >= VisibleAfter && (now - lastCheck >= CheckInterval || checkRequested);

        // Refreshed only right after a check found it, never on its own: written to a node that
        // was just replaced, it would hide the replacement from the check.
        writeGeneration |= check && now - generationWrittenAt > GenerationRefresh;
        var mark = !ReferenceEquals(committed, lastMarked) && committed.Count > 0;
        if (!check && !mark && !writeGeneration)
        {
            return;
        }

        if (check)
        {
            lastCheck = now;
            checkRequested = false;
        }

        lastMarked = committed;
        var at = Volatile.Read(ref epoch);
        Volatile.Write(ref busy, 1);
        _ = Task.Run(async () =>
        {
            try
            {
                // Checked before anything new is written, so that what is read is what the node kept.
                if (check && !await CheckAsync(gen!, expected, at, cancellation))
                {
                    return;
                }

                if (writeGeneration && await client.WriteGenerationAsync(cluster, topic, gen!, cancellation))
                {
                    lock (written)
                    {
                        if (at == Volatile.Read(ref epoch))
                        {
                            generationDue = false;
                            generationWrittenAt = DateTime.UtcNow;
                        }
                    }
                }

                if (mark && await client.WriteMarkerAsync(cluster, topic, committed, cancellation))
                {
                    Remember(committed, at);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref busy, 0);
            }
        }, CancellationToken.None);
    }

    /// <summary>Writes the offset marker now and waits briefly (a clean stop).</summary>
    public void MarkNow(IReadOnlyDictionary<int, long> committed)
    {
        try
        {
            client.WriteMarkerAsync(cluster, topic, committed, CancellationToken.None).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The next start then replays from the previous marker; nothing is skipped.
        }
    }

    private void Remember(IReadOnlyDictionary<int, long> committed, int at)
    {
        lock (written)
        {
            if (at != Volatile.Read(ref epoch))
            {
                return;
            }

            written.Add((DateTime.UtcNow, committed));
            // Only the newest entry older than VisibleAfter is ever needed.
            var keep = written.FindLastIndex(w => w.At <= DateTime.UtcNow - VisibleAfter);
            if (keep > 0)
            {
                written.RemoveRange(0, keep);
            }
        }
    }

    /// <summary>False (and reported) when the node lost data.</summary>
    private async Task<bool> CheckAsync(string gen, IReadOnlyDictionary<int, long>? expected, int at, CancellationToken cancellation)
    {
        bool hasGeneration;
        Dictionary<int, long> marks;
        try
        {
            hasGeneration = await client.HasGenerationAsync(cluster, topic, gen, cancellation);
            marks = expected == null ? [] : await client.ReadMarkerAsync(cluster, topic, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            // A node that does not answer is the health check's business.
            return true;
        }

        // Markers older than the generation mark, but lower: restored from a copy taken before.
        // (None at all with the generation mark present is a node slow to show new series; the
        // generation mark decides then.)
        var behind = expected?.Where(e => marks.TryGetValue(e.Key, out var m) && m < e.Value).ToList() ?? [];
        if (at != Volatile.Read(ref epoch))
        {
            return true;
        }

        if (hasGeneration && behind.Count == 0)
        {
            Interlocked.Exchange(ref verifiedTicks, DateTime.UtcNow.Ticks);
            return true;
        }

        lost(!hasGeneration
            ? "the mark this connector left on the node is gone: it was replaced or wiped while the service ran; it is checked and refilled"
            : "its offset marker went back (" + string.Join(", ", behind.Select(b =>
                string.Create(CultureInfo.InvariantCulture, $"partition {b.Key}: marked {b.Value}, the node has {marks[b.Key]}"))) +
              "): it was restored from an older copy; it is checked and refilled");
        return false;
    }
}
