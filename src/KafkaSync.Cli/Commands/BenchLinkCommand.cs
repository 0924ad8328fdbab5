using System.CommandLine;
using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench link`: queue → link over loopback → queue, against Kafka's 16 KiB zstd batches.</summary>
internal static class BenchLinkCommand
{
    public static Command Create()
    {
        var defaults = new LinkBenchmarkOptions();
        var records = new Option<int>("--records") { Description = "Records to generate.", DefaultValueFactory = _ => defaults.Records };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => defaults.Seed };
        var level = new Option<int>("--level") { Description = "zstd level of the link and of the Kafka batch baseline.", DefaultValueFactory = _ => defaults.Level };
        var adaptive = new Option<bool>("--adaptive") { Description = "Let the link raise or lower its level to match the bottleneck." };
        var mbit = new Option<double>("--link-mbit") { Description = "Cap the link at this many Mbit/s (token bucket); also prints the baseline's records/s at that cap." };
        var frameBytes = new Option<int>("--frame-bytes") { Description = "Raw payload bytes per frame.", DefaultValueFactory = _ => defaults.FrameBytes };
        var fsync = new Option<FsyncPolicy>("--fsync") { Description = "Fsync policy of both queues.", DefaultValueFactory = _ => defaults.Fsync };
        var codec = new Option<KafkaSync.Engine.Framing.FrameCodec>("--codec") { Description = "Frame codec (none shows what the link and queues move without compression).", DefaultValueFactory = _ => defaults.Codec };
        var directory = new Option<string?>("--dir") { Description = "Folder for the two queues (default: a temporary folder, deleted afterwards)." };
        var command = new Command("link", "Link: generated events through source queue → loopback link → target queue; MB/s, records/s, ratio, and last wire-vs-kafka-batches.")
        {
            records, seed, level, adaptive, mbit, frameBytes, fsync, codec, directory,
        };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            async token =>
            {
                var options = new LinkBenchmarkOptions
                {
                    Records = parse.GetValue(records),
                    Seed = parse.GetValue(seed),
                    Level = parse.GetValue(level),
                    AdaptiveLevel = parse.GetValue(adaptive),
                    LinkMbit = parse.GetValue(mbit),
                    FrameBytes = parse.GetValue(frameBytes),
                    Fsync = parse.GetValue(fsync),
                    Codec = parse.GetValue(codec),
                    Directory = parse.GetValue(directory),
                };
                await LinkBenchmark.RunAsync(options, Console.Out, token);
                return CliRun.Ok;
            },
            cancellation));
        return command;
    }
}
