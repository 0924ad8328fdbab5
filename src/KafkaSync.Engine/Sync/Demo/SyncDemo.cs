using System.Diagnostics;
using System.Globalization;
using System.Net;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Sync.Demo;

/// <summary>
/// The whole pipeline in a minute on one machine: two embedded clusters, sample traffic on
/// several topics and partitions, a source and a target agent over loopback (optionally with a
/// link cut in the middle), then a record-by-record check that the target equals the source.
/// </summary>
public static partial class SyncDemo
{
    /// <summary>Runs the demo; the result says whether the copy is exact.</summary>
    /// <exception cref="Configuration.OptionsException">A demo setting is out of range.</exception>
    public static async Task<DemoResult> RunAsync(DemoOptions options, IProgress<DemoProgress>? progress, IProgress<string>? log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var topics = Enumerable.Range(0, options.Topics).Select(i => DemoTopicNames[i % DemoTopicNames.Length] + (i < DemoTopicNames.Length ? "" : i.ToString(CultureInfo.InvariantCulture))).ToList();
        var folder = options.Folder ?? Directory.CreateTempSubdirectory("kafkasync-demo-").FullName;
        try
        {
            using var source = new EmbeddedKafka(brokers: 3);
            using var target = new EmbeddedKafka(brokers: 3);
            foreach (var topic in topics)
            {
                source.CreateTopic(topic, options.Partitions);
                target.CreateTopic(topic, options.Partitions);
            }

            log?.Report($"Source cluster {source.BootstrapServers}, target cluster {target.BootstrapServers}; topics {string.Join(", ", topics)} with {options.Partitions} partitions each.");
            var half = options.Records / 2;
            Report(progress, "producing sample traffic", options.Records, 0, 0, 0, 0, "none");
            await Task.Run(() => SampleTraffic.Produce(source.BootstrapServers, topics, options.Partitions, 0, half, ct), ct);
            return await CopyAndCheckAsync(options, topics, folder, source, target, half, progress, log, ct);
        }
        finally
        {
            if (options.Folder is null)
            {
                TryDelete(folder);
            }
        }
    }

    private static readonly string[] DemoTopicNames = ["sensors", "orders", "clicks", "payments", "logs"];

    private static async Task<DemoResult> CopyAndCheckAsync(
        DemoOptions options, List<string> topics, string folder, EmbeddedKafka source, EmbeddedKafka target, int half,
        IProgress<DemoProgress>? progress, IProgress<string>? log, CancellationToken ct)
    {
        var key = LinkKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), "demo key");
        var targetAgent = new TargetAgent(new TargetAgentOptions
        {
            Name = "demo-target",
            Kafka = new() { BootstrapServers = target.BootstrapServers },
            Queue = new() { Path = Path.Combine(folder, "target-queue"), Capacity = new(1L << 30), SegmentSize = new(16L << 20) },
            Link = new() { Listen = "127.0.0.1:0" },
            LinkKey = key,
            CreateTopics = false,
        }, log);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var targetRun = targetAgent.RunAsync(stop.Token);
        var endpoint = await targetAgent.Listening.WaitAsync(ct);
        await using var relay = new LoopbackRelay(new IPEndPoint(IPAddress.Loopback, endpoint.Port));
        var sourceAgent = new SourceAgent(new SourceAgentOptions
        {
            Name = "demo-source",
            Kafka = new() { BootstrapServers = source.BootstrapServers },
            Topics = new() { Names = topics },
            Queue = new() { Path = Path.Combine(folder, "source-queue"), Capacity = new(1L << 30), SegmentSize = new(16L << 20) },
            Link = new() { Target = relay.Endpoint, ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) },
            LinkKey = key,
        }, log);
        var sourceRun = sourceAgent.RunAsync(stop.Token);
        var cuts = 0;
        var secondWave = false;
        Task second = Task.CompletedTask;
        Task ProduceSecondHalf()
        {
            secondWave = true;
            return Task.Run(() => SampleTraffic.Produce(source.BootstrapServers, topics, options.Partitions, half, options.Records - half, ct), ct);
        }

        while (targetAgent.Status.RecordsOut < options.Records)
        {
            await FailFastAsync(sourceRun, targetRun);
            var s = sourceAgent.Status;
            var t = targetAgent.Status;
            Report(progress, cuts == 0 && options.CutLink && t.RecordsOut > options.Records / 3 ? "cutting the link" : "copying", options.Records, s.RecordsIn, s.DoneSeq, t.RecordsOut, s.WireBytes, s.LinkState);
            if (options.CutLink && cuts == 0 && t.RecordsOut > options.Records / 3)
            {
                // The second half is produced only after the cut, so the copy cannot finish
                // before it however fast it runs, and the source queues that half while the
                // network is down.
                relay.Cut();
                cuts++;
                log?.Report("Link cut; the source keeps reading into its queue and retries the link.");
                second = ProduceSecondHalf();
                await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
                relay.Restore();
                log?.Report("Network back; the link resumes from the target's last durable seq.");
            }
            else if (!options.CutLink && !secondWave && s.RecordsIn > 0)
            {
                // The consumer has joined: produce the second half live, while the agents copy.
                second = ProduceSecondHalf();
            }

            await Task.Delay(200, ct);
        }

        await second;
        var elapsed = clock.Elapsed;
        var sourceStatus = sourceAgent.Status;
        await stop.CancelAsync();
        await sourceRun;
        await targetRun;
        Report(progress, "checking the target against the source", options.Records, sourceStatus.RecordsIn, sourceStatus.DoneSeq, options.Records, sourceStatus.WireBytes, "stopped");
        var differences = await Task.Run(() => Compare(source.BootstrapServers, target.BootstrapServers, topics, options.Partitions, ct), ct);
        return new DemoResult
        {
            Records = options.Records,
            Layout = $"{topics.Count} topics x {options.Partitions} partitions",
            BytesRead = sourceStatus.BytesIn,
            WireBytes = relay.BytesUpstream,
            CompressionRatio = relay.BytesUpstream == 0 ? 0 : (double)sourceStatus.BytesIn / relay.BytesUpstream,
            Elapsed = elapsed,
            RecordsPerSecond = options.Records / elapsed.TotalSeconds,
            LinkCuts = cuts,
            Identical = differences.Count == 0,
            Differences = differences,
        };
    }

    private static async Task FailFastAsync(Task sourceRun, Task targetRun)
    {
        if (sourceRun.IsCompleted)
        {
            await sourceRun;
            throw new AgentException("The source agent stopped before the copy finished.");
        }

        if (targetRun.IsCompleted)
        {
            await targetRun;
            throw new AgentException("The target agent stopped before the copy finished.");
        }
    }

    private static void Report(IProgress<DemoProgress>? progress, string phase, long total, long consumed, long acked, long produced, long wire, string link) =>
        progress?.Report(new DemoProgress(phase, total, consumed, acked, produced, wire, link));

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
