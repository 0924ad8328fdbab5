using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Offsets;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync offsets show|sync`: consumer groups' positions translated from the source to the target.</summary>
internal static class OffsetsCommand
{
    public static Command Create() => new("offsets", "Consumer-group failover: show or sync groups' offsets, translated exactly from the source cluster to the target.")
    {
        Show(), Sync(),
    };

    private static Command Show()
    {
        var (config, groups, source, json) = CommonOptions();
        var command = new Command("show", "Per group and target partition: the committed source offset, the translated target offset, the group's target offset, lag, status and last sync.")
        {
            config, groups, source, json,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var rows = await Run(parse, config, groups, source, commit: false, stop);
            Print(rows, parse.GetValue(json));
            return CliRun.Ok;
        }, ct));
        return command;
    }

    private static Command Sync()
    {
        var (config, groups, source, json) = CommonOptions();
        var whatIf = new Option<bool>("--what-if") { Description = "Only show what would be committed." };
        var command = new Command("sync", "Once: commit the translated offsets of groups with no members on the target (offsets only move forward).")
        {
            config, groups, source, whatIf, json,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async stop =>
        {
            var rows = await Run(parse, config, groups, source, commit: !parse.GetValue(whatIf), stop);
            Print(rows, parse.GetValue(json));
            return rows.Any(r => r.Action == GroupSyncAction.Failed) ? CliRun.Failed : CliRun.Ok;
        }, ct));
        return command;
    }

    private static (Option<string> Config, Option<string[]> Groups, Option<string?> Source, Option<bool> Json) CommonOptions() => (
        new Option<string>("--config") { Description = "The target agent's JSON config (its cluster, queue folder and groupSync).", Required = true },
        new Option<string[]>("--group") { Description = "A consumer group (repeatable); default: groupSync.groups of the config.", AllowMultipleArgumentsPerToken = false },
        new Option<string?>("--source-bootstrap-servers") { Description = "The source cluster; default: groupSync.sourceKafka of the config." },
        new Option<bool>("--json") { Description = "Print the rows as JSON." });

    private static async Task<IReadOnlyList<ConsumerGroupOffset>> Run(ParseResult parse, Option<string> config, Option<string[]> groups, Option<string?> source, bool commit, CancellationToken stop)
    {
        var options = ConfigFile.Load<TargetAgentOptions>(parse.GetValue(config)!);
        return await GroupOffsets.RunAsync(options, parse.GetValue(groups) ?? [], parse.GetValue(source), commit, new StderrLog(), stop);
    }

    private static void Print(IReadOnlyList<ConsumerGroupOffset> rows, bool json)
    {
        if (json)
        {
            CliRun.WriteJson(rows);
            return;
        }

        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine($"{"group",-16} {"target",-24} {"source",-24} {"src offset",10} {"tgt offset",10} {"committed",10} {"lag",8} {"status",-14} {"action",-14} last sync");
        foreach (var r in rows)
        {
            Console.Out.WriteLine(string.Create(c,
                $"{r.Group,-16} {$"{r.TargetTopic}[{r.TargetPartition}]",-24} {$"{r.SourceTopic}[{r.SourcePartition}]",-24} {Show(r.SourceOffset),10} {Show(r.TargetOffset),10} {Show(r.CommittedOffset),10} {Show(r.Lag),8} {r.Status,-14} {r.Action,-14} {r.SyncedAt?.ToString("u", c) ?? "never"}"));
            if (r.Note.Length > 0)
            {
                Console.Out.WriteLine($"  {r.Note}");
            }
        }
    }

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
