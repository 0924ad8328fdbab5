using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>A node that lost data: found by its offset marker, refilled from what the topic still holds.</summary>
internal sealed partial class NodeConnector
{
    /// <summary>
    /// Compares the node's offset marker with the positions the connector is about to resume from.
    /// Where the node holds less (no marker: an empty replacement; an older one: a restored
    /// backup), that partition goes back to the marker, or to the oldest offset the topic still
    /// holds; what the topic no longer holds is reported as lost. Partitions without a committed
    /// offset are not checked (a new group starts where auto.offset.reset says).
    /// </summary>
    /// <param name="consumer">For the oldest offsets the topic holds.</param>
    /// <param name="positions">What the node was given: the committed offsets.</param>
    /// <param name="floors">Where the connector goes back to anyway (the safety window after a crash); a marker at or past it needs nothing more. Null: the positions.</param>
    /// <param name="cancellation">Stops the service.</param>
    /// <returns>The partitions to rewind and where to.</returns>
    private Dictionary<int, long> CheckMarker(IConsumer<Ignore, byte[]> consumer, IReadOnlyDictionary<int, long> positions, IReadOnlyDictionary<int, long>? floors, CancellationToken cancellation)
    {
        var refill = new Dictionary<int, long>();
        var checkable = positions.Where(p => hadCommit.Contains(p.Key) && p.Value > 0).ToList();
        if (checkable.Count == 0)
        {
            return refill;
        }

        Dictionary<int, long> marks;
        try
        {
            marks = client.ReadMarkerAsync(options.Name, options.Kafka.Topic, cancellation).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException || (ex is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            log($"{Node.Name}: cannot read its offset marker, resuming from the committed offsets: {ex.Message}");
            return refill;
        }

        var behind = new List<string>();
        var gaps = new List<string>();
        long missing = 0;
        foreach (var (partition, position) in checkable)
        {
            var has = marks.TryGetValue(partition, out var m) ? m : (long?)null;
            var floor = Math.Min(position, floors?.GetValueOrDefault(partition, position) ?? position);
            if (has >= floor)
            {
                continue;
            }

            var low = consumer.QueryWatermarkOffsets(new TopicPartition(options.Kafka.Topic, partition), TimeSpan.FromSeconds(30)).Low.Value;
            var from = has ?? 0;
            if (from >= floor && from >= low)
            {
                // The rewind goes back that far anyway (a crashed VictoriaMetrics loses its last
                // seconds, markers included): nothing to add and nothing to report.
                continue;
            }

            if (from < low)
            {
                var gapEnd = Math.Min(low, position);
                gaps.Add(string.Create(CultureInfo.InvariantCulture, $"partition {partition} offsets {from}–{gapEnd - 1}"));
                missing += gapEnd - from;
                from = Math.Min(low, position);
            }

            behind.Add(string.Create(CultureInfo.InvariantCulture, $"partition {partition}: node has {(has == null ? "nothing" : "up to " + has)}, group committed {position}"));
            if (from < position)
            {
                refill[partition] = from;
            }
        }

        if (behind.Count == 0)
        {
            return refill;
        }

        var report = $"lost data ({string.Join("; ", behind)}); refilling from the oldest offsets the topic holds";
        if (gaps.Count > 0)
        {
            report += string.Create(CultureInfo.InvariantCulture, $"; the topic no longer holds {missing} of the records it is missing: {string.Join(", ", gaps)}");
            Interlocked.Add(ref lostRecords, missing);
            dataLoss = string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Read(ref lostRecords)} records are missing on this node and no longer in the topic: {string.Join(", ", gaps)}");
        }

        log($"{Node.Name}: {report}");
        DataLossFound?.Invoke(report);
        return refill;
    }
}
