using System.CommandLine;
using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync bench queue`: raw disk write+fdatasync against the queue's append and read throughput.</summary>
internal static class BenchQueueCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Bytes written per figure, e.g. 512MiB or 4GiB; 2 GiB or more gives sustained disk figures.", DefaultValueFactory = _ => "2GiB" };
        var dir = new Option<string>("--dir") { Description = "Folder to measure in (on the disk the queue will use).", DefaultValueFactory = _ => Path.GetTempPath() };
        var command = new Command("queue", "Raw sequential write+fdatasync, then queue append (100 B, 1 KiB, group commit), backlog open and read; last line queue-vs-disk.") { size, dir };
        command.SetAction((result, ct) => CliRun.GuardAsync(
            async stop =>
            {
                var bytes = ByteSize.Parse(result.GetValue(size)!, "--size").Bytes;
                await QueueBenchmark.RunAsync(result.GetValue(dir)!, bytes, Console.Out.WriteLine, stop);
                return CliRun.Ok;
            },
            ct));
        return command;
    }
}
