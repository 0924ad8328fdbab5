using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync.Demo;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync demo`: the whole sync on two embedded clusters in about a minute, checked record by record.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Sample records to copy.", DefaultValueFactory = _ => 200_000 };
        var topics = new Option<int>("--topics") { Description = "Topics of sample traffic.", DefaultValueFactory = _ => 3 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic.", DefaultValueFactory = _ => 4 };
        var cutLink = new Option<bool>("--cut-link") { Description = "Cut the link in the middle of the run and watch it resume." };
        var verbose = new Option<bool>("--verbose") { Description = "Log what the agents do to stderr." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("demo", "Copy sample traffic between two embedded Kafka clusters through both agents over loopback, then check the target equals the source.")
        {
            records, topics, partitions, cutLink, verbose, json,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = new DemoOptions
            {
                Records = parse.GetValue(records),
                Topics = parse.GetValue(topics),
                Partitions = parse.GetValue(partitions),
                CutLink = parse.GetValue(cutLink),
            };
            var live = new LiveLine();
            var result = await SyncDemo.RunAsync(options, live, parse.GetValue(verbose) ? new StderrLog() : null, stop);
            live.Finish();
            if (parse.GetValue(json))
            {
                CliRun.WriteJson(result);
            }
            else
            {
                Print(result);
            }

            return result.Identical ? CliRun.Ok : CliRun.Failed;
        }, ct));
        return command;
    }

    private static void Print(DemoResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var o = Console.Out;
        o.WriteLine(r.Identical ? "Target equals source: every partition, in order, byte for byte." : "TARGET DIFFERS FROM SOURCE:");
        foreach (var difference in r.Differences)
        {
            o.WriteLine("  " + difference);
        }

        o.WriteLine(string.Create(c, $"  records        {r.Records:N0} ({r.Layout})"));
        o.WriteLine($"  bytes read     {ByteSize.Format(r.BytesRead)}");
        o.WriteLine($"  bytes on wire  {ByteSize.Format(r.WireBytes)}");
        o.WriteLine(string.Create(c, $"  ratio          {r.CompressionRatio:0.0}x"));
        o.WriteLine(string.Create(c, $"  throughput     {r.RecordsPerSecond:N0} records/s ({r.Elapsed.TotalSeconds:0.0} s end to end)"));
        if (r.LinkCuts > 0)
        {
            o.WriteLine($"  link cuts      {r.LinkCuts} (resumed without loss or doubles)");
        }
    }

    /// <summary>One progress line on stderr: rewritten in place on a terminal, once a second otherwise.</summary>
    private sealed class LiveLine : IProgress<DemoProgress>
    {
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private DateTime _last = DateTime.MinValue;
        private string _phase = "";

        public void Report(DemoProgress p)
        {
            var now = DateTime.UtcNow;
            if (!_terminal && p.Phase == _phase && now - _last < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _last = now;
            _phase = p.Phase;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{p.Phase,-24} consumed {p.Consumed,9:N0}  acked {p.Acked,9:N0}  produced {p.Produced,9:N0} / {p.Total:N0}  wire {ByteSize.Format(p.WireBytes),-9}  link {p.LinkState}");
            Console.Error.Write(_terminal ? "\r" + line : line + Environment.NewLine);
        }

        public void Finish()
        {
            if (_terminal)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
