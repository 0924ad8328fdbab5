using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// What both agents share: running their stages until the first fails or the caller stops them,
/// and keeping the status snapshot current beside the queue once a second.
/// </summary>
internal static class AgentRunner
{
    public static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);

    /// <summary>Creates the queue folder if needed and opens the agent's queue in it; the queue's disk warnings go to <paramref name="log"/>.</summary>
    public static DiskQueue OpenQueue(AgentQueueOptions options, IProgress<string>? log)
    {
        Directory.CreateDirectory(options.Path);
        var queue = DiskQueue.Open(options.ToDiskQueueOptions());
        queue.Log = log;
        return queue;
    }

    /// <summary>The status note: a full disk first (it explains every other wait), else what the stages said.</summary>
    public static string Note(DiskQueue? queue, AgentCounters counters) => queue?.DiskFull?.Note ?? counters.Note;

    /// <summary>
    /// Says at start what the operator must know about the queue: what opening it had to fix, and
    /// which seqs it will never deliver, with the source offsets and how to fetch them again.
    /// </summary>
    public static void ReportQueueState(DiskQueue queue, LostRecordsFinder lost, IProgress<string>? log)
    {
        foreach (var note in queue.OpenNotes)
        {
            log?.Report("Warning: queue: " + note);
        }

        foreach (var range in lost.Describe(queue))
        {
            log?.Report($"Warning: queue: seqs {range} ({range.Count:N0}) are lost and will not be delivered.");
            foreach (var offsets in range.Offsets)
            {
                var fetch = offsets.RefetchCommand.Length > 0 ? $"; read them again with: {offsets.RefetchCommand}" : "";
                log?.Report($"Warning: queue: lost {offsets.Topic}[{offsets.Partition}] offsets {offsets.FromOffset}-{offsets.ToOffset}{fetch}");
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread (a stage that blocks on Kafka).</summary>
    public static Task LongRunning(Action work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// An agent's run: marks it running, keeps the status snapshot current, starts the stages with
    /// one stop token linked to <paramref name="ct"/> and runs them as <see cref="RunStagesAsync"/>
    /// does; marks it stopped or failed (recording the error) and writes the final snapshot.
    /// </summary>
    public static async Task RunAsync(
        string queuePath,
        Func<AgentStatus> snapshot,
        Action<AgentState> setState,
        AgentCounters counters,
        Func<Exception, Exception> translate,
        CancellationToken ct,
        params Func<CancellationToken, Task>[] stages)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        setState(AgentState.Running);
        var status = KeepStatusAsync(queuePath, snapshot, stopAll.Token);
        try
        {
            await RunStagesAsync(stopAll, translate, stages.Select(start => start(stopAll.Token)).ToArray());
            setState(AgentState.Stopped);
        }
        catch (Exception ex)
        {
            setState(AgentState.Failed);
            counters.SetError(ex.Message);
            throw;
        }
        finally
        {
            await status;
            TryWrite(queuePath, snapshot());
        }
    }

    /// <summary>Runs <paramref name="stages"/>; when one ends on its own (an error), the others are stopped too. Rethrows the first error.</summary>
    public static async Task RunStagesAsync(CancellationTokenSource stopAll, Func<Exception, Exception> translate, params Task[] stages)
    {
        var first = await Task.WhenAny(stages);
        stopAll.Cancel();
        try
        {
            await Task.WhenAll(stages);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception)
        {
            // Reported below from the stage that failed first.
        }

        var failed = first.IsFaulted ? first : stages.FirstOrDefault(s => s.IsFaulted);
        if (failed?.Exception?.InnerException is { } error and not OperationCanceledException)
        {
            throw translate(error);
        }
    }

    /// <summary>Writes the snapshot every second until cancelled.</summary>
    public static async Task KeepStatusAsync(string queuePath, Func<AgentStatus> snapshot, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(StatusEvery);
        try
        {
            do
            {
                TryWrite(queuePath, snapshot());
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // Final snapshot is written by the agent.
        }
    }

    public static void TryWrite(string queuePath, AgentStatus status)
    {
        try
        {
            AgentStatusFile.Write(queuePath, AgentLiveness.Stamp(status));
        }
        catch (IOException)
        {
            // A full disk must not stop the agent for the sake of its status file.
        }
    }

    // The lag is looked up every second while records wait. A reader's default 1 MiB buffer per look
    // landed on the large object heap, collected only in full collections: an agent whose cluster
    // was down carried 60-70 MiB of such garbage. Below 85,000 bytes it is young garbage.
    private const int LagReadBufferBytes = 64 << 10;

    /// <summary>Seconds since the Kafka timestamp of the first record after <paramref name="doneSeq"/>; 0 when none is waiting.</summary>
    public static double LagSeconds(DiskQueue queue, long doneSeq)
    {
        if (doneSeq + 1 >= queue.NextSeq || doneSeq + 1 < queue.FirstSeq)
        {
            return 0;
        }

        using var reader = queue.OpenReader(doneSeq + 1, LagReadBufferBytes);
        if (!reader.TryReadBorrowed(out var next))
        {
            return 0;
        }

        var record = SerializedRecord.Read(next.Payload.Span);
        return record.TimestampType == KafkaTimestampType.NotAvailable
            ? 0
            : Math.Max(0, (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - record.Timestamp) / 1000.0);
    }
}
