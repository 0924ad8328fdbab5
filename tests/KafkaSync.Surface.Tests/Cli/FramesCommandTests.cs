using System.Text.Json;
using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Surface.Tests.Cli;

public sealed class FramesCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ks-frames-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Train_dictionary_writes_a_file_and_reports_its_id_as_json()
    {
        var queuePath = Path.Combine(_dir, "queue");
        await using (var queue = DiskQueue.Open(new DiskQueueOptions { Path = queuePath }))
        {
            await queue.AppendBatchAsync(new EventGenerator(3).TakeQueueRecords(2000).Select(r => r.Payload).ToArray(), CancellationToken.None);
            await queue.CommitAsync(CancellationToken.None);
        }

        var file = Path.Combine(_dir, "frames.zdict");
        var result = await HostProcess.RunAsync("frames", "train-dictionary", "--queue", queuePath, "--out", file, "--samples", "1500", "--max-size", "16KiB", "--json");
        Assert.True(result.ExitCode == 0, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(1500, json.RootElement.GetProperty("samples").GetInt32());
        Assert.True(json.RootElement.GetProperty("id").GetUInt32() > 0);
        Assert.Equal(new FileInfo(file).Length, json.RootElement.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task Train_dictionary_on_a_missing_queue_names_the_folder()
    {
        var missing = Path.Combine(_dir, "nowhere");
        var result = await HostProcess.RunAsync("frames", "train-dictionary", "--queue", missing, "--out", Path.Combine(_dir, "d"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_frames_prints_the_kafka_comparison_last()
    {
        var result = await HostProcess.RunAsync("bench", "frames", "--records", "5000", "--levels", "1");
        Assert.True(result.ExitCode == 0, result.Err);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("layout columnar", StringComparison.Ordinal));
        Assert.StartsWith("frames-vs-kafka-batches: ", lines[^1], StringComparison.Ordinal);
        var ratio = double.Parse(lines[^1]["frames-vs-kafka-batches: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ratio, 0.1, 2);
    }
}
