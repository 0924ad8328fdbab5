using System.CommandLine;
using System.Globalization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync frames train-dictionary`: a zstd dictionary from a queue's own records, for frames.dictionaryPath.</summary>
internal static class FramesCommand
{
    public static Command Create()
    {
        var frames = new Command("frames", "Tools for the link's zstd frames.");
        frames.Subcommands.Add(TrainDictionary());
        return frames;
    }

    private static Command TrainDictionary()
    {
        var queue = new Option<string>("--queue", "-q") { Description = "The queue folder to sample (safe while its owner runs).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "The dictionary file to write; give it to both ends as frames.dictionaryPath.", Required = true };
        var samples = new Option<int>("--samples") { Description = "How many of the newest records to train on.", DefaultValueFactory = _ => FrameDictionaryTrainer.DefaultSamples };
        var maxSize = new Option<string>("--max-size") { Description = "The largest dictionary, e.g. 110KiB.", DefaultValueFactory = _ => "110KiB" };
        var json = new Option<bool>("--json") { Description = "Write JSON for scripts instead of text." };
        var command = new Command("train-dictionary", "Train a zstd dictionary on a queue's newest records (helps small frames sent without streaming).")
        {
            queue, output, samples, maxSize, json,
        };
        command.SetAction((result, ct) => CliRun.GuardAsync(
            async _ =>
            {
                try
                {
                    var size = ByteSize.Parse(result.GetValue(maxSize)!, "--max-size");
                    OptionsException.ThrowIfOutOfRange("--max-size", size.Bytes, 1024, 1 << 20, ByteSize.Format);
                    var info = FrameDictionaryTrainer.TrainFromQueue(result.GetValue(queue)!, result.GetValue(output)!, result.GetValue(samples), (int)size.Bytes);
                    if (result.GetValue(json))
                    {
                        CliRun.WriteJson(info);
                    }
                    else
                    {
                        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"dictionary {info.Id} ({ByteSize.Format(info.Bytes)}) trained on {info.Samples:N0} records ({ByteSize.Format(info.SampleBytes)}), saved to {info.Path}"));
                    }

                    return CliRun.Ok;
                }
                catch (QueueException ex)
                {
                    await Console.Error.WriteLineAsync("kafkasync: " + ex.Message);
                    return CliRun.BadInput;
                }
                catch (ZstdException ex)
                {
                    await Console.Error.WriteLineAsync("kafkasync: " + ex.Message);
                    return CliRun.Failed;
                }
            },
            ct));
        return command;
    }
}
