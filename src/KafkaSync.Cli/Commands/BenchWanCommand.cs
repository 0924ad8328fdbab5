using System.CommandLine;
using KafkaSync.Engine.Benchmarks.Wan;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench wan`: KafkaSync against a MirrorMaker-style mirror across an emulated long link (root only).</summary>
internal static class BenchWanCommand
{
    public static Command Create()
    {
        var defaults = new WanBenchmarkOptions();
        var mbit = new Option<double>("--mbit") { Description = "Bandwidth cap of each direction of the link, in Mbit/s.", DefaultValueFactory = _ => defaults.Mbit };
        var rtt = new Option<int>("--rtt-ms") { Description = "Round-trip time added to the link, in milliseconds.", DefaultValueFactory = _ => defaults.RoundTripMs };
        var records = new Option<int>("--records") { Description = "Backlog each contender drains (the embedded cluster caps ~5 MiB per partition: at most 240000).", DefaultValueFactory = _ => defaults.Records };
        var rate = new Option<int>("--rate") { Description = "Records/s produced while latency is measured.", DefaultValueFactory = _ => defaults.Rate };
        var seconds = new Option<int>("--latency-seconds") { Description = "Seconds of production at --rate (after a first 2,000 records crossed; the first 2 s are left out).", DefaultValueFactory = _ => defaults.LatencySeconds };
        var link = new Option<string?>("--link") { Description = "Extra settings of KafkaSync's source link as a JSON object, e.g. '{\"maxLevel\":6}' (default: the agent's defaults, adaptive level on)." };
        var only = new Option<bool>("--kafkasync-only") { Description = "Run KafkaSync alone (no mirrors, no closing line), to try link settings." };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of all contenders on the same link; the closing line gives each ratio's median (1 to 10).", DefaultValueFactory = _ => defaults.Rounds };
        var command = new Command("wan", "As root: KafkaSync vs a MirrorMaker-style mirror (source batches none and zstd) between two network namespaces joined by a capped veth (tc tbf) with added round trip; records/s, link bytes, CPU, memory, latency.")
        {
            mbit, rtt, records, rate, seconds, link, only, rounds,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = new WanBenchmarkOptions
            {
                Mbit = parse.GetValue(mbit),
                RoundTripMs = parse.GetValue(rtt),
                Records = parse.GetValue(records),
                Rate = parse.GetValue(rate),
                LatencySeconds = parse.GetValue(seconds),
                LinkSettings = parse.GetValue(link),
                KafkaSyncOnly = parse.GetValue(only),
                Rounds = parse.GetValue(rounds),
                SelfCommand = CliRun.SelfCommand(),
            };
            options.Validate();
            if (WanPreflight.Problem() is { } problem)
            {
                await Console.Error.WriteLineAsync("kafkasync: " + problem);
                return CliRun.Failed;
            }

            var results = await WanBenchmark.RunAsync(options, Console.Out, stop);
            if (!options.KafkaSyncOnly)
            {
                Console.Out.WriteLine(WanBenchmark.Summary(results));
            }

            return CliRun.Ok;
        }, ct));
        return command;
    }

    /// <summary>The hidden `bench wan-site` command: one process of the benchmark inside a namespace.</summary>
    public static Command Site()
    {
        var role = new Argument<string>("role") { Description = "source, target or mirror." };
        var rtt = new Option<int>("--rtt-ms") { DefaultValueFactory = _ => 0 };
        var sourceBootstrap = new Option<string?>("--source-bootstrap");
        var targetBootstrap = new Option<string?>("--target-bootstrap");
        var prefix = new Option<string?>("--prefix");
        var command = new Command("wan-site", "One process of bench wan (started by it inside a network namespace).")
        {
            role, rtt, sourceBootstrap, targetBootstrap, prefix,
        };
        command.Hidden = true;
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var half = TimeSpan.FromMilliseconds(parse.GetValue(rtt) / 2.0);
            switch (parse.GetValue(role))
            {
                case "source":
                    await WanSite.RunSourceAsync(half, Console.In, Console.Out, stop);
                    break;
                case "target":
                    await WanSite.RunTargetAsync(parse.GetValue(sourceBootstrap)!, half, Console.In, Console.Out, stop);
                    break;
                case "mirror":
                    // Runs until the benchmark closes stdin or ends the process.
                    using (var end = CancellationTokenSource.CreateLinkedTokenSource(stop))
                    {
                        _ = Task.Run(async () =>
                        {
                            await Console.In.ReadToEndAsync(end.Token);
                            await end.CancelAsync();
                        }, end.Token);
                        await Task.Run(() => WanMirror.Run(parse.GetValue(sourceBootstrap)!, parse.GetValue(targetBootstrap)!, parse.GetValue(prefix)!, end.Token), end.Token);
                    }

                    break;
                default:
                    await Console.Error.WriteLineAsync("kafkasync: role must be source, target or mirror.");
                    return CliRun.BadInput;
            }

            return CliRun.Ok;
        }, ct));
        return command;
    }
}
