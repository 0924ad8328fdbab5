using System.Text.Json;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Surface.Tests.Cli;

public sealed class QueueCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ksq-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Info_on_a_missing_folder_says_it_does_not_exist()
    {
        var result = await HostProcess.RunAsync("queue", "info", "--path", _dir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Err, StringComparison.Ordinal);
        Assert.Contains(_dir, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_on_a_folder_that_is_no_queue_says_so()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a queue");
        foreach (var command in new[] { "info", "peek", "repair" })
        {
            var result = await HostProcess.RunAsync("queue", command, "--path", _dir);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("is not a KafkaSync queue", result.Err, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--count", "abc", "--count")]
    [InlineData("--count", "0", "--count")]
    [InlineData("--count", "1000001", "--count")]
    [InlineData("--from", "0", "--from")]
    [InlineData("--from", "ten", "--from")]
    public async Task Peek_with_a_bad_number_names_the_option(string option, string value, string named)
    {
        await CreateQueueAsync(10);
        var result = await HostProcess.RunAsync("queue", "peek", "--path", _dir, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_and_peek_json_describe_the_queue_and_decode_kafka_records()
    {
        await CreateQueueAsync(50);
        var info = await HostProcess.RunAsync("queue", "info", "--path", _dir, "--json");
        Assert.Equal(0, info.ExitCode);
        using var infoJson = JsonDocument.Parse(info.Out);
        Assert.Equal(50, infoJson.RootElement.GetProperty("lastSeq").GetInt64());
        Assert.Equal("healthy", infoJson.RootElement.GetProperty("health").GetString());
        Assert.Equal(20, infoJson.RootElement.GetProperty("cursors")[0].GetProperty("lag").GetInt64());

        var peek = await HostProcess.RunAsync("queue", "peek", "--path", _dir, "--from", "49", "--count", "5", "--json");
        Assert.Equal(0, peek.ExitCode);
        using var peekJson = JsonDocument.Parse(peek.Out);
        Assert.Equal(2, peekJson.RootElement.GetArrayLength());
        var first = peekJson.RootElement[0];
        Assert.Equal(49, first.GetProperty("seq").GetInt64());
        Assert.Equal("orders", first.GetProperty("topic").GetString());
        Assert.Equal(48, first.GetProperty("offset").GetInt64());
        Assert.Equal("\"value-48\"", first.GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_corrupt_queue_is_reported_by_info_and_peek_and_fixed_by_repair()
    {
        await CreateQueueAsync(50);
        var segment = Directory.GetFiles(_dir, "*.seg").Single();
        using (var file = File.OpenHandle(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, new byte[] { 0xFF, 0xFF }, 40); // inside record 1
        }

        var info = await HostProcess.RunAsync("queue", "info", "--path", _dir);
        Assert.Equal(1, info.ExitCode);
        Assert.Contains("Corrupt", info.Out, StringComparison.Ordinal);
        Assert.Contains(segment, info.Out, StringComparison.Ordinal);

        var peek = await HostProcess.RunAsync("queue", "peek", "--path", _dir);
        Assert.Equal(1, peek.ExitCode);
        Assert.Contains("is corrupt at byte 0 (seq 1)", peek.Err, StringComparison.Ordinal);

        var check = await HostProcess.RunAsync("queue", "repair", "--path", _dir, "--what-if");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("would move aside", check.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(segment));

        var repair = await HostProcess.RunAsync("queue", "repair", "--path", _dir, "--json");
        Assert.Equal(0, repair.ExitCode);
        using var json = JsonDocument.Parse(repair.Out);
        Assert.Equal(49, json.RootElement.GetProperty("salvagedRecords").GetInt64());
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "quarantine")));

        var after = await HostProcess.RunAsync("queue", "peek", "--path", _dir, "--count", "1");
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("orders[0]@1", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_while_the_owner_runs_is_refused_with_the_reason()
    {
        await CreateQueueAsync(5);
        await using var owner = DiskQueue.Open(new DiskQueueOptions { Path = _dir });
        var result = await HostProcess.RunAsync("queue", "repair", "--path", _dir);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already open for writing", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_process_reads_the_queue_while_the_owner_appends()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var owner = DiskQueue.Open(new DiskQueueOptions { Path = _dir, SegmentBytes = 256 * 1024 });
        var appending = Task.Run(
            async () =>
            {
                // Ends only by throwing when stopped: a loop condition on the token could also
                // end it quietly, when the stop lands between two appends.
                for (var i = 0; ; i++)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    await owner.AppendAsync(KafkaRecordSerializer.Serialize(Sample(i)), stop.Token);
                    if (i % 100 == 0)
                    {
                        await owner.CommitAsync(stop.Token);

                        // Paced, so the queue stays small while each process starts on a busy
                        // machine: an unpaced writer grows thousands of segments for `info` to list.
                        await Task.Delay(5, stop.Token);
                    }
                }
            },
            stop.Token);

        long lastSeen = 0;
        for (var round = 0; round < 4; round++)
        {
            await owner.WaitForDurableAsync(lastSeen + 500, stop.Token);
            var info = await HostProcess.RunAsync("queue", "info", "--path", _dir, "--json");
            Assert.Equal(0, info.ExitCode);
            using var infoJson = JsonDocument.Parse(info.Out);
            var last = infoJson.RootElement.GetProperty("lastSeq").GetInt64();
            Assert.True(last >= lastSeen + 500, $"info saw last seq {last}, but {lastSeen + 500} was durable before it ran");
            lastSeen = last;

            var from = Math.Max(1, last - 150);
            var peek = await HostProcess.RunAsync("queue", "peek", "--path", _dir, "--from", from.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", "100", "--json");
            Assert.Equal(0, peek.ExitCode);
            using var peekJson = JsonDocument.Parse(peek.Out);
            var seqs = peekJson.RootElement.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(0, 100).Select(i => from + i), seqs);
            Assert.All(peekJson.RootElement.EnumerateArray(), r => Assert.Equal(r.GetProperty("seq").GetInt64() - 1, r.GetProperty("offset").GetInt64()));
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => appending);

        // The owner was never disturbed: everything it appended reads back in order.
        await owner.CommitAsync(CancellationToken.None);
        using var reader = owner.OpenReader(1);
        var expected = 1L;
        while (reader.TryRead(out var record))
        {
            Assert.Equal(expected++, record.Seq);
            Assert.Equal(record.Seq - 1, KafkaRecordSerializer.Deserialize(record.Payload.Span).Offset);
        }

        Assert.Equal(owner.NextSeq, expected);
    }

    [Fact]
    public async Task Demo_shows_append_follow_recovery_and_inspection()
    {
        var result = await HostProcess.RunAsync("queue", "demo", "--records", "5000");
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Contains("read every record live, up to seq 5000", result.Out, StringComparison.Ordinal);
        Assert.Contains("recovery cut the", result.Out, StringComparison.Ordinal);
        Assert.Contains("health:        Healthy", result.Out, StringComparison.Ordinal);
        Assert.Contains("orders[", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_queue_prints_each_figure_and_the_ratio_last()
    {
        Directory.CreateDirectory(_dir);
        var result = await HostProcess.RunAsync("bench", "queue", "--size", "16MiB", "--dir", _dir);
        Assert.True(result.ExitCode == 0, result.Err);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("disk-write-fdatasync: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("queue-append-100B: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("queue-append-1KiB: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("queue-read-1KiB: ", StringComparison.Ordinal));
        Assert.Matches(@"^queue-vs-disk: \d+\.\d\d$", lines[^1]);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        var bad = await HostProcess.RunAsync("bench", "queue", "--size", "lots");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--size", bad.Err, StringComparison.Ordinal);
    }

    private async Task CreateQueueAsync(int records)
    {
        await using var queue = DiskQueue.Open(new DiskQueueOptions { Path = _dir });
        for (var i = 0; i < records; i++)
        {
            await queue.AppendAsync(KafkaRecordSerializer.Serialize(Sample(i)), CancellationToken.None);
            if (i % 10 == 0)
            {
                await queue.CommitAsync(CancellationToken.None);
            }
        }

        await queue.CommitAsync(CancellationToken.None);
        queue.SetCursor("link", Math.Max(0, records - 20));
    }

    private static KafkaRecord Sample(int i) => new()
    {
        Topic = "orders", Partition = 0, Offset = i, Timestamp = 1_700_000_000_000 + i,
        Key = System.Text.Encoding.UTF8.GetBytes("key-" + i), Value = System.Text.Encoding.UTF8.GetBytes("value-" + i),
    };
}
