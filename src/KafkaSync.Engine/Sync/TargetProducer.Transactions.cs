using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// Exactly-once mode: each batch of records and the checkpoint of its last seq are produced in
/// one Kafka transaction. A crash before the commit leaves nothing visible (the next start
/// fences and aborts the open transaction); a crash after it leaves a checkpoint the next start
/// reads, so it resumes after that seq. Readers of the target must use read_committed.
/// </summary>
internal sealed partial class TargetProducer
{
    private static readonly TimeSpan TransactionTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    private void RunTransactional(CancellationToken stop)
    {
        var config = ProducerConfig();
        config.TransactionalId = "kafkasync-" + _options.Name;
        config.TransactionTimeoutMs = (int)TransactionTimeout.TotalMilliseconds;
        config.MessageTimeoutMs = (int)TransactionTimeout.TotalMilliseconds;
        var reports = new TransactionReports(OnClientError, OnClientLog);
        using var producer = new RawProducer(config, reports);
        using var admin = QuietAdminClient();
        var placement = new TopicPlacement(_options, admin, _counters, _log);
        placement.EnsureCheckpointTopic(_options.CheckpointTopic, stop);
        var committed = Recover(producer, stop);
        var tracker = _tracker = new DeliveryTracker(committed);
        using var map = _map = OffsetMapWriter.Open(_options.Queue.Path, committed);
        var reader = _queue.OpenReader(Math.Max(committed, _queue.FirstSeq - 1) + 1);
        // Each record as the queue holds it (copied out of the reader): an aborted batch is produced again.
        var batch = new List<QueueRecord>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                while (batch.Count < _options.MaxTransactionRecords && reader.TryRead(out var queued))
                {
                    batch.Add(queued);
                }

                if (batch.Count == 0)
                {
                    WaitForRecords(reader, stop);
                    continue;
                }

                if (Commit(producer, reports, placement, map, batch, stop))
                {
                    var last = batch[^1].Seq;
                    map.Committed(last);
                    _counters.AddOut(_inTransaction.Count);
                    foreach (var counted in _inTransaction)
                    {
                        Count(counted);
                    }
                    tracker.DeliveredThrough(last);
                    MoveCursor(last);
                    batch.Clear();
                }
                else
                {
                    // Aborted: its records got offsets that no reader will see; forget them.
                    map.Rollback(tracker.DoneSeq);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Clean stop: an open transaction was aborted; its records go again next start.
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>Fences any older instance, then returns the last committed seq (moving the queue cursor up to it).</summary>
    private long Recover(RawProducer producer, CancellationToken stop)
    {
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                producer.InitTransactions(TransactionTimeout);
                var settings = _options.Kafka.ToClientSettings("kafka");
                var seq = TransactionCheckpoint.Read(settings, _options.CheckpointTopic, _options.Name, TransactionTimeout, stop);
                var cursor = _queue.GetCursor(CursorName);
                _log?.Report($"Exactly-once: last committed seq {seq} (queue cursor {cursor}).");
                MoveCursor(seq);
                _counters.Note = "";
                return Math.Max(seq, cursor);
            }
            catch (KafkaException ex) when (!ex.Error.IsFatal)
            {
                _counters.Note = "target cluster unreachable";
                _counters.SetError($"target cluster: {ex.Error.Reason}");
                stop.WaitHandle.WaitOne(RetryEvery);
            }
        }
    }

    /// <summary>
    /// Produces <paramref name="batch"/> and its checkpoint in one transaction; false when it was
    /// aborted and must be retried. The records' target offsets (from their delivery reports) go
    /// into the offset map as pending, durably, before the commit, so a crash right after the
    /// commit loses no mapping; the map counts them only once the commit is confirmed.
    /// </summary>
    private bool Commit(RawProducer producer, TransactionReports reports, TopicPlacement placement, OffsetMapWriter map, List<QueueRecord> batch, CancellationToken stop)
    {
        _inTransaction.Clear();
        producer.BeginTransaction();
        reports.Start(batch.Count);
        // What each record's report completes (none for a topic descriptor), as in the idempotent mode.
        var produced = new PendingDelivery?[batch.Count];
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var payload = batch[i].Payload.Span;
                var record = SerializedRecord.Read(payload);
                if (TopicDescriptor.IsDescriptor(record))
                {
                    var (topic, partitions) = TopicDescriptor.Read(record);
                    placement.Describe(topic, partitions);
                    continue;
                }

                var sourceTopic = Utf8Interner.GetString(record.Topic);
                var target = placement.Place(sourceTopic, record.Partition, stop);
                var pending = new PendingDelivery(batch[i].Seq, sourceTopic, record.Partition, record.Offset, target.Topic, Counted(target, record));
                produced[i] = pending;
                // Every record counts once committed (with metrics off, only for the out count).
                _inTransaction.Add(pending.Counted);
                try
                {
                    Produce(producer, _arguments, target, payload, record, reports.Expect(i), stop);
                }
                catch (KafkaException ex) when (ex.Error.Code == ErrorCode.MsgSizeTooLarge)
                {
                    // The same record would be refused on every retry of the batch.
                    Abort(producer);
                    throw RefusedBeforeSending(batch[i].Seq, target, ex);
                }
            }

            var checkpoint = KafkaRecordSerializer.Serialize(TransactionCheckpoint.Create(_options.Name, batch[^1].Seq));
            Produce(producer, _plainArguments, new TopicPartition(_options.CheckpointTopic, 0), checkpoint, SerializedRecord.Read(checkpoint), opaque: -1, stop);
            if (reports.Wait(TransactionTimeout, stop) is { } failed)
            {
                return Retry(producer, batch, new KafkaException(failed));
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (produced[i] is { } pending && reports.Placed(i) is { } at)
                {
                    map.Record(pending.SourceTopic, pending.SourcePartition, pending.SourceOffset, pending.TargetTopic, at.Partition, at.Offset);
                }
            }

            map.Flush(batch[^1].Seq, pending: true);
        }
        catch (OperationCanceledException)
        {
            Abort(producer);
            throw;
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            return Retry(producer, batch, ex);
        }
        catch (KafkaException ex)
        {
            throw Fatal(ex);
        }
        catch (IOException ex) when (DiskSpace.IsFull(ex))
        {
            // The map could not hold the batch: the transaction must not commit without it.
            _log?.Report($"Transaction aborted: the offset map does not fit on the queue's disk ({ex.Message}); retrying the same {batch.Count} record(s).");
            Abort(producer);
            Thread.Sleep(RetryEvery);
            return false;
        }

        return CommitOrRetry(producer, batch, stop);
    }

    /// <summary>
    /// Commits; a commit that timed out may have succeeded, so it is retried, never aborted (an
    /// abort then a resend could double the batch). Stopping meanwhile leaves the outcome to the
    /// next start, which reads the committed checkpoint.
    /// </summary>
    private bool CommitOrRetry(RawProducer producer, List<QueueRecord> batch, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                producer.CommitTransaction(TransactionTimeout);
                _counters.Note = "";
                return true;
            }
            catch (KafkaRetriableException ex)
            {
                _counters.Note = "target cluster unreachable";
                _counters.SetError($"target transaction commit: {ex.Error.Reason}");
                stop.WaitHandle.WaitOne(RetryEvery);
                stop.ThrowIfCancellationRequested();
            }
            catch (KafkaTxnRequiresAbortException ex)
            {
                return Retry(producer, batch, ex);
            }
            catch (KafkaException ex) when (ex.Error.IsFatal)
            {
                throw Fatal(ex);
            }
        }
    }

    private bool Retry(RawProducer producer, List<QueueRecord> batch, KafkaException ex)
    {
        _counters.Note = "target cluster unreachable";
        _counters.SetError($"target transaction: {ex.Error.Reason}");
        _log?.Report($"Transaction aborted ({ex.Error.Reason}); retrying the same {batch.Count} record(s).");
        Abort(producer);
        Thread.Sleep(RetryEvery);
        return false;
    }

    private AgentException Fatal(KafkaException ex) =>
        new($"The target producer failed for good ({ex.Error.Reason}); another agent named '{_options.Name}' may have taken over. A restart resumes after the last committed seq.", ex);

    private void Abort(RawProducer producer)
    {
        try
        {
            producer.AbortTransaction(TransactionTimeout);
        }
        catch (KafkaException ex)
        {
            _log?.Report($"Abort failed ({ex.Error.Reason}); the next start fences the open transaction.");
        }
    }
}
