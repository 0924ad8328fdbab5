using System.CommandLine;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench &lt;area&gt;`: each benchmark prints one line per figure, its baseline measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput and compression against their baselines, side by side in one run.");
        var areas = Areas().ToList();
        foreach (var area in areas)
        {
            bench.Subcommands.Add(area);
        }

        var all = new Command("all", "Run every benchmark in turn with its defaults; exits non-zero if any failed.");
        all.SetAction(async (_, cancellation) =>
        {
            var worst = CliRun.Ok;
            foreach (var area in areas)
            {
                Console.Out.WriteLine($"== bench {area.Name}");
                var code = await area.Parse(Array.Empty<string>()).InvokeAsync(cancellationToken: cancellation);
                worst = Math.Max(worst, code);
            }

            return worst;
        });
        bench.Subcommands.Add(all);

        // Needs root and takes minutes: run on its own, never as part of `all`.
        bench.Subcommands.Add(BenchWanCommand.Create());
        bench.Subcommands.Add(BenchWanCommand.Site());

        // Takes minutes and writes gigabytes to disk: run on its own, never as part of `all`.
        bench.Subcommands.Add(BenchMemoryCommand.Create());
        bench.Subcommands.Add(BenchMemoryCommand.Cluster());
        return bench;
    }

    private static IEnumerable<Command> Areas()
    {
        yield return BenchE2eCommand.Create();
        yield return BenchQueueCommand.Create();
        yield return BenchFramesCommand.Create();
        yield return BenchLinkCommand.Create();
        yield return BenchTsdbCommand.Create();
    }
}
