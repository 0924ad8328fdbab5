using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>The parallel writers: one HTTP write per batch, split on permanent rejections to find the bad records.</summary>
internal sealed partial class NodeConnector
{
    private async Task WriterLoopAsync(CancellationToken cancellation)
    {
        await foreach (var batch in toWriters.Reader.ReadAllAsync(CancellationToken.None))
        {
            var written = false;
            if (outageReason == null && !cancellation.IsCancellationRequested)
            {
                Interlocked.Increment(ref writersInFlight);
                try
                {
                    var result = await WriteAsync(batch, 0, batch.Count, cancellation);
                    if (result.Outcome == WriteOutcome.Transient)
                    {
                        EnterOutage(result.Reason);
                    }
                    else
                    {
                        written = true;
                    }
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    // Stopping: the batch stays uncommitted and is written again on the next start.
                }
                finally
                {
                    Interlocked.Decrement(ref writersInFlight);
                }
            }

            completions.Enqueue((batch, written));
            completed.Release();
        }
    }

    /// <summary>
    /// Writes records <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1
    /// of <paramref name="batch"/>; on a permanent rejection, halves the run until the rejected
    /// records are alone, and dead-letters those. Rewriting accepted points is harmless: a point
    /// with the same series and timestamp overwrites itself.
    /// </summary>
    /// <returns>Written (including dead-lettered records) or the first transient failure.</returns>
    private async Task<WriteResult> WriteAsync(PointBatch batch, int first, int count, CancellationToken cancellation)
    {
        var (body, length) = batch.Body(first, count);
        var result = await client.WriteAsync(body.AsMemory(0, length), cancellation);
        if (result.Outcome == WriteOutcome.Written)
        {
            // The node accepted the write, so it has read the whole body. After any other answer
            // the buffer is left to the collector instead: an early answer may leave a send reading it.
            batch.Return(body);
        }

        switch (result.Outcome)
        {
            case WriteOutcome.Written:
                Interlocked.Add(ref pointsWritten, batch.PointsOf(first, count));
                return result;
            case WriteOutcome.Transient:
                return result;
        }

        if (count == 1)
        {
            var record = batch.Records[first];
            var received = new ReceivedRecord(options.Kafka.Topic, record.Partition, record.Offset, record.Timestamp, record.Original ?? batch.Lines(record).ToArray());
            return KeepDeadLetter(received, "rejected by the node: " + result.Reason)
                ? WriteResult.Ok
                : new WriteResult(WriteOutcome.Transient, 0, "dead letter not kept");
        }

        var half = count / 2;
        var firstHalf = await WriteAsync(batch, first, half, cancellation);
        return firstHalf.Outcome == WriteOutcome.Transient ? firstHalf : await WriteAsync(batch, first + half, count - half, cancellation);
    }

    private void EnterOutage(string reason, string what = "write failed: ")
    {
        lock (completions)
        {
            if (outageReason != null)
            {
                return;
            }

            outageStartedAt = DateTime.UtcNow;
            outageReason = reason;
            resumed = false;
        }

        log($"{Node.Name}: {what}{reason}");
        reportFailure(Node.Name, what + reason);
    }
}
