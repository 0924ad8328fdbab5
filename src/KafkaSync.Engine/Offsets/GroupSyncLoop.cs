using Confluent.Kafka;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Offsets;

/// <summary>
/// The target agent's group sync stage: every interval, syncs the configured groups with the
/// agent's live offset map and writes the report beside the queue. A round that fails (a cluster
/// unreachable) is reported and tried again next interval; it never stops the agent.
/// </summary>
internal sealed class GroupSyncLoop(TargetAgentOptions options, Func<OffsetMap> map, AgentCounters counters, IProgress<string>? log)
{
    public async Task RunAsync(CancellationToken stop)
    {
        var settings = options.GroupSync!;
        var sync = new ConsumerGroupSync(settings.SourceKafka, options.Kafka, map, log);
        using var timer = new PeriodicTimer(settings.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    var groups = await GroupDiscovery.GroupsAsync(settings, stop).ConfigureAwait(false);
                    var rows = await sync.SyncAsync(groups, commit: true, stop).ConfigureAwait(false);
                    if (rows.Count > 0)
                    {
                        GroupSyncFile.Write(options.Queue.Path, GroupSyncFile.CarryOver(rows, GroupSyncFile.Read(options.Queue.Path)));
                    }
                }
                catch (Exception ex) when (ex is KafkaException or IOException or TimeoutException)
                {
                    counters.SetError($"group sync: {ex.Message}");
                    log?.Report($"Group sync failed ({ex.Message}); trying again in {settings.Interval.TotalSeconds:0.#} s.");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
