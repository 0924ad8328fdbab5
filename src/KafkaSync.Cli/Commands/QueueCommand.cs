using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync queue info|peek|repair|demo`: inspect and repair a disk queue, also while its owner runs.</summary>
internal static partial class QueueCommand
{
    public static Command Create()
    {
        var queue = new Command("queue", "Inspect, peek into and repair a disk queue (safe while its owner runs, except repair).");
        queue.Subcommands.Add(Info());
        queue.Subcommands.Add(Peek());
        queue.Subcommands.Add(Repair());
        queue.Subcommands.Add(Demo());
        return queue;
    }

    private static Option<string> PathOption() => new("--path", "-p") { Description = "The queue's folder.", Required = true };

    private static Option<bool> JsonOption() => new("--json") { Description = "Write JSON for scripts instead of text." };

    private static Command Info()
    {
        var path = PathOption();
        var json = JsonOption();
        var command = new Command("info", "Show a queue's seqs, cursors and their lag, pending records and bytes, segments, size and health.") { path, json };
        command.SetAction((result, ct) => RunAsync(
            () =>
            {
                var info = DiskQueue.Inspect(result.GetValue(path)!);
                if (result.GetValue(json))
                {
                    CliRun.WriteJson(info);
                }
                else
                {
                    WriteInfo(info);
                }

                return info.Health == QueueHealth.Corrupt ? CliRun.Failed : CliRun.Ok;
            },
            ct));
        return command;
    }

    private static Command Peek()
    {
        var path = PathOption();
        var from = new Option<long>("--from") { Description = "The first seq to show (raised to the oldest retained).", DefaultValueFactory = _ => 1 };
        var count = new Option<int>("--count", "-n") { Description = "How many records to show, 1 to 100000.", DefaultValueFactory = _ => 10 };
        var json = JsonOption();
        var command = new Command("peek", "Show records from a seq: Kafka records decoded (topic, partition, offset, key, value), other payloads as hex.") { path, from, count, json };
        command.SetAction((result, ct) => RunAsync(
            () =>
            {
                var first = result.GetValue(from);
                var n = result.GetValue(count);
                OptionsException.ThrowIfOutOfRange("--from", first, 1, long.MaxValue);
                OptionsException.ThrowIfOutOfRange("--count", n, 1, 100_000);
                var views = DiskQueue.Peek(result.GetValue(path)!, first, n).Select(QueueRecordView.From).ToList();
                if (result.GetValue(json))
                {
                    CliRun.WriteJson(views);
                }
                else
                {
                    Console.Out.WriteLine($"{"SEQ",-12} {"SIZE",8}  RECORD");
                    foreach (var view in views)
                    {
                        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{view.Seq,-12} {view.Size,8}  {view}"));
                    }
                }

                return CliRun.Ok;
            },
            ct));
        return command;
    }

    private static Command Repair()
    {
        var path = PathOption();
        var whatIf = new Option<bool>("--what-if") { Description = "Only check every record and report what a repair would do." };
        var json = JsonOption();
        var command = new Command("repair", "Check every record; move damaged segments into quarantine/ (never deleted) and keep their whole records. Stop the queue's owner first.") { path, whatIf, json };
        command.SetAction((result, ct) => RunAsync(
            () =>
            {
                var repair = DiskQueue.Repair(result.GetValue(path)!, result.GetValue(whatIf));
                if (result.GetValue(json))
                {
                    CliRun.WriteJson(repair);
                }
                else
                {
                    WriteRepair(repair);
                }

                return CliRun.Ok;
            },
            ct));
        return command;
    }

    /// <summary>Runs a queue command: queue errors become a one-line message and an exit code.</summary>
    private static Task<int> RunAsync(Func<int> body, CancellationToken ct) => RunAsync(_ => Task.FromResult(body()), ct);

    private static Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken ct) => CliRun.GuardAsync(
        async stop =>
        {
            try
            {
                return await body(stop);
            }
            catch (QueueException ex)
            {
                await Console.Error.WriteLineAsync("kafkasync: " + ex.Message);
                return ex is QueueCorruptException or QueueLockedException ? CliRun.Failed : CliRun.BadInput;
            }
        },
        ct);

    private static void WriteInfo(QueueInfo info)
    {
        var o = Console.Out;
        o.WriteLine($"path:          {info.Path}");
        o.WriteLine($"health:        {info.Health}{(info.HealthDetail.Length > 0 ? " — " + info.HealthDetail : "")}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seqs:          {info.FirstSeq} .. {info.LastSeq} ({info.Records:N0} records, next {info.NextSeq})"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pending:       {info.PendingRecords:N0} records, {ByteSize.Format(info.PendingBytes)}{(info.OldestPendingAge is { } age ? $", oldest {Duration.Format(age)} old" : "")}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"segments:      {info.Segments.Count}, {ByteSize.Format(info.SizeOnDisk)} on disk"));
        foreach (var cursor in info.Cursors)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cursor {cursor.Name,-12} at {cursor.Seq}, lag {cursor.Lag:N0}"));
        }

        if (info.MissingSeqs.Count > 0)
        {
            o.WriteLine($"missing:       {string.Join(", ", info.MissingSeqs)} (no segment holds them; `kafkasync queue repair` records them as lost)");
        }

        if (info.LostSeqs.Count > 0)
        {
            o.WriteLine($"lost:          {string.Join(", ", info.LostSeqs)} (recorded as lost; readers pass over them)");
        }

        foreach (var problem in info.CursorProblems)
        {
            o.WriteLine($"warning:       {problem}");
        }
    }

    private static void WriteRepair(QueueRepairResult repair)
    {
        var o = Console.Out;
        if (repair.Healthy)
        {
            o.WriteLine($"{repair.Path}: every record checked is whole; nothing to repair.");
            return;
        }

        foreach (var fix in repair.CursorFixes)
        {
            o.WriteLine($"cursor: {fix}");
        }

        if (repair.Problems.Count == 0)
        {
            return;
        }

        foreach (var problem in repair.Problems)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"damage: {problem.Segment} at byte {problem.Position} (seq {problem.Seq}): {problem.Problem}"));
        }

        var verb = repair.WhatIf ? "would move" : "moved";
        foreach (var file in repair.Quarantined)
        {
            o.WriteLine($"{verb} aside: {file}");
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(repair.WhatIf ? "would keep" : "kept")} {repair.SalvagedRecords:N0} whole records; lost seqs: {(repair.LostSeqs.Count == 0 ? "none" : string.Join(", ", repair.LostSeqs))}"));
    }
}
