using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync status QUEUE...`: the status snapshot each agent keeps beside its queue.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("queue") { Description = "Queue folder(s) of source or target agents.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the snapshots as JSON." };
        var command = new Command("status", "Show an agent's state, link state, seqs, lag (records and seconds), rate, compression ratio and last error.")
        {
            paths, json,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(stop =>
        {
            var statuses = parse.GetValue(paths)!.Select(AgentStatusFile.Read).ToList();
            if (parse.GetValue(json))
            {
                CliRun.WriteJson(statuses);
                return Task.FromResult(CliRun.Ok);
            }

            foreach (var s in statuses)
            {
                Print(s);
            }

            return Task.FromResult(CliRun.Ok);
        }, ct));
        return command;
    }

    private static void Print(AgentStatus s)
    {
        var age = DateTimeOffset.UtcNow - s.UpdatedAt;
        var state = s.State switch
        {
            AgentState.Dead => $"dead: {s.Note} (last update {Duration.Format(age)} ago)",
            AgentState.Running when age > TimeSpan.FromSeconds(10) => $"not responding (last update {Duration.Format(age)} ago)",
            _ => s.State.ToString().ToLowerInvariant(),
        };
        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine($"{s.Role} '{s.Name}' ({s.QueuePath})");
        Console.Out.WriteLine($"  state      {state}{(s.Note.Length > 0 && s.State != AgentState.Dead ? " — " + s.Note : "")}");
        Console.Out.WriteLine($"  link       {s.LinkState}");
        Console.Out.WriteLine(string.Create(c, $"  seqs       first {s.FirstSeq}, next {s.NextSeq}, {(s.Role == "source" ? "acked" : "produced")} {s.DoneSeq}"));
        Console.Out.WriteLine(string.Create(c, $"  lag        {s.LagRecords} records, {s.LagSeconds:0.0} s"));
        Console.Out.WriteLine(string.Create(c, $"  records    in {s.RecordsIn}, out {s.RecordsOut}, {s.RecordsPerSecond:0} /s"));
        Console.Out.WriteLine(string.Create(c, $"  bytes      {ByteSize.Format(s.BytesIn)} records, {ByteSize.Format(s.WireBytes)} on the wire, ratio {s.CompressionRatio:0.00}"));
        Console.Out.WriteLine($"  last error {s.LastError ?? "none"}");
    }
}
