using System.CommandLine;
using KafkaSync.Engine.Benchmarks;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench e2e`: KafkaSync against a MirrorMaker-style mirror on the same embedded clusters and data.</summary>
internal static class BenchE2eCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Records to copy (the embedded cluster caps ~5 MiB per partition).", DefaultValueFactory = _ => 200_000 };
        var metrics = new Option<bool>("--metrics") { Description = "Serve both agents' /metrics and scrape them every second during the run, to measure what metrics cost." };
        var warmup = new Option<int>("--warmup-records") { Description = "Records each contender copies first, unmeasured, so compiling code is not counted (0: no warm-up).", DefaultValueFactory = _ => E2eBenchmark.DefaultWarmupRecords };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds; the closing line gives each ratio's median (1 to 20).", DefaultValueFactory = _ => E2eBenchmark.DefaultRounds };
        var exactlyOnce = new Option<bool>("--exactly-once") { Description = "Also run KafkaSync with the target agent in exactly-once mode in each round; a last line gives its cost against the default mode and the mirror." };
        var command = new Command("e2e", "KafkaSync end to end vs a MirrorMaker-style mirror (compression none and zstd): records/s and bytes sent toward the target.")
        {
            records, metrics, warmup, rounds, exactlyOnce,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var results = await E2eBenchmark.RunAsync(parse.GetValue(records), new StdoutLog(), stop, parse.GetValue(metrics), parse.GetValue(warmup), parse.GetValue(rounds), parse.GetValue(exactlyOnce));
            foreach (var run in results[0])
            {
                Console.Out.WriteLine($"  {run.Name}: bytes counted by {run.HowCounted}");
            }

            Console.Out.WriteLine(E2eBenchmark.Summary(results));
            if (parse.GetValue(exactlyOnce))
            {
                Console.Out.WriteLine(E2eBenchmark.ExactlyOnceSummary(results));
            }

            return CliRun.Ok;
        }, ct));
        return command;
    }

    private sealed class StdoutLog : IProgress<string>
    {
        public void Report(string value) => Console.Out.WriteLine(value);
    }
}
