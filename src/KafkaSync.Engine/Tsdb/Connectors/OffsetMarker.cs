using System.Text.Json;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// Keeps the node's offset marker (see <see cref="NodeClient.WriteMarkerAsync"/>) up to date with
/// the committed offsets, at most once per <see cref="Interval"/>, and reads it back every
/// <see cref="CheckInterval"/>: a marker that went back, or vanished, means the node was replaced
/// or restored between two health checks, which neither a health check nor a write notices.
/// </summary>
/// <remarks>
/// <see cref="OnPass"/> is called by the consume thread; writes and checks run one at a time in
/// the background so the consume thread never waits for the node.
/// </remarks>
internal sealed class OffsetMarker
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>A marker written this long ago must be readable (VictoriaMetrics shows new points after about a second).</summary>
    private static readonly TimeSpan VisibleAfter = TimeSpan.FromSeconds(5);

    private readonly NodeClient client;
    private readonly string cluster;
    private readonly string topic;
    private readonly Action<string> lost;
    private readonly List<(DateTime At, IReadOnlyDictionary<int, long> Offsets)> written = [];
    private IReadOnlyDictionary<int, long>? lastMarked;
    private DateTime lastPass;
    private DateTime lastCheck;
    private int busy;
    private int generation;

    public OffsetMarker(NodeClient client, string cluster, string topic, Action<string> lost)
    {
        this.client = client;
        this.cluster = cluster;
        this.topic = topic;
        this.lost = lost;
    }

    /// <summary>
    /// Forgets what was marked: the offsets are about to go back on purpose (a rewind or a new
    /// share), so an older, higher marker is no sign of loss.
    /// </summary>
    public void Reset()
    {
        Interlocked.Increment(ref generation);
        lock (written)
        {
            written.Clear();
            lastMarked = null;
        }
    }

    /// <summary>Marks <paramref name="committed"/> when it changed and checks the marker when due; never waits.</summary>
    public void OnPass(DateTime now, IReadOnlyDictionary<int, long> committed, CancellationToken cancellation)
    {
        if (now - lastPass < Interval || Volatile.Read(ref busy) != 0)
        {
            return;
        }

        lastPass = now;
        var expected = Expected(now);
        var check = expected != null && now - lastCheck >= CheckInterval;
        var mark = !ReferenceEquals(committed, lastMarked) && committed.Count > 0;
        if (!check && !mark)
        {
            return;
        }

        if (check)
        {
            lastCheck = now;
        }

        lastMarked = committed;
        var gen = Volatile.Read(ref generation);
        Volatile.Write(ref busy, 1);
        _ = Task.Run(async () =>
        {
            try
            {
                if (check)
                {
                    await CheckAsync(expected!, gen, cancellation);
                }

                if (mark && await client.WriteMarkerAsync(cluster, topic, committed, cancellation))
                {
                    lock (written)
                    {
                        if (gen == Volatile.Read(ref generation))
                        {
                            written.Add((DateTime.UtcNow, committed));
                            // Only the newest entry older than VisibleAfter is ever needed.
                            var keep = written.FindLastIndex(w => w.At <= DateTime.UtcNow - VisibleAfter);
                            if (keep > 0)
                            {
                                written.RemoveRange(0, keep);
                            }
                        }
                    }
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

    /// <summary>Writes the marker now and waits briefly (a clean stop).</summary>
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

    /// <summary>The newest marked offsets old enough to be visible on the node, or null.</summary>
    private IReadOnlyDictionary<int, long>? Expected(DateTime now)
    {
        lock (written)
        {
            var i = written.FindLastIndex(w => w.At <= now - VisibleAfter);
            return i < 0 ? null : written[i].Offsets;
        }
    }

    private async Task CheckAsync(IReadOnlyDictionary<int, long> expected, int gen, CancellationToken cancellation)
    {
        Dictionary<int, long> marks;
        try
        {
            marks = await client.ReadMarkerAsync(cluster, topic, cancellation);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            // A node that does not answer is the health check's business.
            return;
        }

        var behind = expected.Where(e => !marks.TryGetValue(e.Key, out var m) || m < e.Value).ToList();
        if (behind.Count == 0 || gen != Volatile.Read(ref generation))
        {
            return;
        }

        lost("its offset marker went back (" + string.Join(", ", behind.Select(b =>
            $"partition {b.Key}: marked {b.Value}, the node has {(marks.TryGetValue(b.Key, out var m) ? m.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")}")) +
            "): the node lost data, it is refilled");
    }
}
