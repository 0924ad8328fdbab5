using System.CommandLine;
using KafkaSync.Engine.Benchmarks;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench frames`: the frame codec on generated records, against Kafka's 16 KiB zstd batches.</summary>
internal static class BenchFramesCommand
{
    public static Command Create()
    {
        var defaults = new FrameBenchmarkOptions();
        var records = new Option<int>("--records") { Description = "Records to generate.", DefaultValueFactory = _ => defaults.Records };
        var seed = new Option<int>("--seed") { Description = "Generator seed.", DefaultValueFactory = _ => defaults.Seed };
        var level = new Option<int>("--level") { Description = "zstd level for the layout, dictionary and Kafka comparisons.", DefaultValueFactory = _ => defaults.Level };
        var levels = new Option<int[]>("--levels") { Description = "zstd levels whose speed and ratio are listed.", DefaultValueFactory = _ => [.. defaults.Levels], AllowMultipleArgumentsPerToken = true };
        var frameBytes = new Option<int>("--frame-bytes") { Description = "Payload bytes per frame.", DefaultValueFactory = _ => defaults.FrameBytes };
        var windowLog = new Option<int>("--window-log") { Description = "frames.windowLog: log2 of the stream's history window.", DefaultValueFactory = _ => defaults.WindowLog };
        var saveDictionary = new Option<string?>("--save-dictionary") { Description = "Save the trained dictionary to this file (for frames.dictionaryPath)." };
        var command = new Command("frames", "Frame codec: MB/s per zstd level, row vs columnar layout, streaming vs independent frames, dictionary, and last frames-vs-kafka-batches.")
        {
            records, seed, level, levels, frameBytes, windowLog, saveDictionary,
        };
        command.SetAction((parse, cancellation) => CliRun.GuardAsync(
            token =>
            {
                var options = new FrameBenchmarkOptions
                {
                    Records = parse.GetValue(records),
                    Seed = parse.GetValue(seed),
                    Level = parse.GetValue(level),
                    Levels = parse.GetValue(levels) ?? [],
                    FrameBytes = parse.GetValue(frameBytes),
                    WindowLog = parse.GetValue(windowLog),
                    SaveDictionaryPath = parse.GetValue(saveDictionary),
                };
                FrameBenchmark.Run(options, Console.Out, token);
                return Task.FromResult(CliRun.Ok);
            },
            cancellation));
        return command;
    }
}
