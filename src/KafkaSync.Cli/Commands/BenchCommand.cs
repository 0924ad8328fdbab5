using System.CommandLine;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench &lt;area&gt;`: each benchmark prints one line per figure, its baseline measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput and compression against their baselines, side by side in one run.");
        foreach (var area in Areas())
        {
            bench.Subcommands.Add(area);
        }

        return bench;
    }

    private static IEnumerable<Command> Areas()
    {
        yield return E2eBenchCommand.Create();
        yield return QueueBenchCommand.Create();
        yield return BenchFramesCommand.Create();
        yield return BenchLinkCommand.Create();
        yield return BenchTsdbCommand.Create();
    }
}
