using System.Globalization;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Metrics;

/// <summary>The scrape-time half: copies the agent's status, queue and link numbers into the series.</summary>
internal sealed partial class AgentMetrics
{
    private void Update()
    {
        var status = _status();
        _info.WithLabels(MetricSet.Version).Set(1);
        MetricSet.SetState(_state, status.State, static s => s.ToString().ToLowerInvariant());
        _started.Set(MetricSet.Seconds(status.StartedAt == default ? null : status.StartedAt));
        UpdateWaiting(status.Note);
        _recordsIn.IncTo(status.RecordsIn);
        _recordsOut.IncTo(status.RecordsOut);
        _bytesIn.IncTo(status.BytesIn);

        _firstSeq.Set(status.FirstSeq);
        _nextSeq.Set(status.NextSeq);
        _doneSeq.Set(status.DoneSeq);
        _storedRecords.Set(Math.Max(0, status.NextSeq - status.FirstSeq));
        _pendingRecords.Set(status.LagRecords);
        _pendingAge.Set(status.LagSeconds);
        UpdateQueue();
        UpdateLink(_link());
        UpdatePartitions();
    }

    private void UpdateWaiting(string note)
    {
        // The disk-full note carries the free bytes; the label must not change with them.
        if (note.StartsWith("paused: disk full", StringComparison.Ordinal))
        {
            note = "disk full";
        }

        // One series per reason ever seen, so a reason that ended reads 0 rather than vanishing.
        if (!string.IsNullOrEmpty(note))
        {
            _reasons.Add(note);
        }

        foreach (var reason in _reasons)
        {
            _waiting.WithLabels(reason).Set(reason == note ? 1 : 0);
        }
    }

    private void UpdateQueue()
    {
        try
        {
            _durableSeq.Set(_queue.DurableSeq);
            _bytes.Set(_queue.RetainedBytes);
            _capacity.Set(_queue.Options.CapacityBytes);
            var gaps = _queue.Gaps.ToArray();
            _gaps.Set(gaps.Length);
            _lostRecords.Set(gaps.Sum(g => g.Last - g.First + 1));
        }
        catch (ObjectDisposedException)
        {
            // The agent closed its queue while stopping: keep the last values.
        }
    }

    private void UpdateLink(LinkStatus? link)
    {
        var state = link?.State ?? LinkState.Idle;
        MetricSet.SetState(_linkState, state, static s => s.ToString().ToLowerInvariant());
        _linkUp.Set(state == LinkState.Connected ? 1 : 0);
        if (link is null)
        {
            return;
        }

        _connections.IncTo(link.Connections);
        _reconnects.IncTo(Math.Max(0, link.Connections - 1));
        _failures.IncTo(link.Failures);
        _lastFailure.Set(MetricSet.Seconds(link.LastErrorAt));
        _wireBytes.IncTo(link.WireBytes);
        _recordBytes.IncTo(link.RawBytes);
        _linkRecords.IncTo(link.Records);
        _frames.IncTo(link.Frames);
        _ratio.Set(link.CompressionRatio);
        _ackedSeq.Set(link.AckedSeq);
        _level?.Set(link.Level);
    }

    private void UpdatePartitions()
    {
        foreach (var slot in Traffic.Slots)
        {
            var partition = slot.Partition.ToString(CultureInfo.InvariantCulture);
            _partitionRecords.WithLabels(slot.Topic, partition).IncTo(slot.Records);
            _partitionBytes.WithLabels(slot.Topic, partition).IncTo(slot.Bytes);
            if (slot.LastLatencyMs >= 0)
            {
                _partitionLatency.WithLabels(slot.Topic, partition).Set(slot.LastLatencyMs / 1000.0);
            }
        }
    }
}
