using System.CommandLine;
using KafkaSync.Engine.Benchmarks.Memory;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench memory`: resident memory of both agents while a backlog drains and while the target cluster is down.</summary>
internal static class BenchMemoryCommand
{
    public static Command Create()
    {
        var defaults = new MemoryBenchmarkOptions();
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the benchmark's topic (the embedded cluster keeps about 5 MiB of each).", DefaultValueFactory = _ => defaults.Partitions };
        var valueBytes = new Option<int>("--value-bytes") { Description = "Bytes of each record's value.", DefaultValueFactory = _ => defaults.ValueBytes };
        var baselineSeconds = new Option<int>("--baseline-seconds") { Description = "Seconds of the small steady flow; its second half is the baseline.", DefaultValueFactory = _ => defaults.BaselineSeconds };
        var baselineRate = new Option<double>("--baseline-mib-s") { Description = "Rate of the small steady flow, in MiB/s.", DefaultValueFactory = _ => defaults.BaselineMiBPerSecond };
        var backlog = new Option<int>("--backlog-mib") { Description = "Backlog held in the source queue while the target agent is stopped, then drained (the target producer buffers 16 MiB).", DefaultValueFactory = _ => defaults.BacklogMiB };
        var grow = new Option<double>("--grow-gib") { Description = "How much the target queue grows while the target cluster is stopped, in GiB.", DefaultValueFactory = _ => defaults.GrowGiB };
        var step = new Option<int>("--step-mib") { Description = "Report memory at each step of this many MiB of the target queue's growth.", DefaultValueFactory = _ => defaults.StepMiB };
        var folder = new Option<string?>("--folder") { Description = "Where the agents' queues go (a fresh folder inside it; default: the temporary folder)." };
        var outage = new Option<string>("--outage") { Description = "How the target cluster goes away: down (every broker down: connections refused, data kept) or sigstop (its process frozen).", DefaultValueFactory = _ => defaults.Outage };
        var logs = new Option<string?>("--logs") { Description = "Keep each child's stderr in this folder (the agents then log with --verbose)." };
        var command = new Command("memory", "RSS of the source and target agents (each its own process) under a small flow, while a backlog of many producer buffers drains, and while the target cluster is stopped and the target queue grows by gigabytes; then checks every record arrived once.")
        {
            partitions, valueBytes, baselineSeconds, baselineRate, backlog, grow, step, outage, folder, logs,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var options = new MemoryBenchmarkOptions
            {
                Partitions = parse.GetValue(partitions),
                ValueBytes = parse.GetValue(valueBytes),
                BaselineSeconds = parse.GetValue(baselineSeconds),
                BaselineMiBPerSecond = parse.GetValue(baselineRate),
                BacklogMiB = parse.GetValue(backlog),
                GrowGiB = parse.GetValue(grow),
                StepMiB = parse.GetValue(step),
                Folder = parse.GetValue(folder),
                Logs = parse.GetValue(logs),
                Outage = parse.GetValue(outage)!,
                SelfCommand = CliRun.SelfCommand(),
            };
            var result = await MemoryBenchmark.RunAsync(options, Console.Out, stop);
            Console.Out.WriteLine(MemoryBenchmark.Summary(result));
            return result.CheckPassed ? CliRun.Ok : CliRun.Failed;
        }, ct));
        return command;
    }

    /// <summary>The hidden `bench memory-cluster` command: one embedded cluster of bench memory, in its own process.</summary>
    public static Command Cluster()
    {
        var partitions = new Option<int>("--partitions") { DefaultValueFactory = _ => new MemoryBenchmarkOptions().Partitions };
        var command = new Command("memory-cluster", "One embedded cluster of bench memory (started by it; 'down' and 'up' on stdin).") { partitions };
        command.Hidden = true;
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            await MemoryCluster.RunAsync(parse.GetValue(partitions), Console.In, Console.Out, stop);
            return CliRun.Ok;
        }, ct));
        return command;
    }
}
