using System.CommandLine;
using System.Globalization;
using System.Text;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Cli.Commands;

/// <summary>`kafkasync queue demo`: append, a live follower, crash recovery and inspection, on a real queue folder.</summary>
internal static partial class QueueCommand
{
    private static Command Demo()
    {
        var path = new Option<string?>("--path", "-p") { Description = "Where to create the demo queue (default: a new temporary folder, removed afterwards)." };
        var records = new Option<int>("--records") { Description = "How many records to append, 100 to 10000000.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("demo", "Show the disk queue at work: append, a follower reading live, crash recovery of a torn write, inspection.") { path, records };
        command.SetAction((result, ct) => RunAsync(
            stop =>
            {
                var count = result.GetValue(records);
                OptionsException.ThrowIfOutOfRange("--records", count, 100, 10_000_000);
                return RunDemoAsync(result.GetValue(path), count, stop);
            },
            ct));
        return command;
    }

    private static async Task<int> RunDemoAsync(string? path, int count, CancellationToken ct)
    {
        var temporary = path is null;
        var folder = path ?? Path.Combine(Path.GetTempPath(), "kafkasync-queue-demo-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new DiskQueueOptions { Path = folder, SegmentBytes = 4L << 20, CapacityBytes = 4L << 30 };
        var o = Console.Out;
        try
        {
            o.WriteLine($"1. append: {count:N0} Kafka records into {folder} (4 MiB segments, one fdatasync per group commit)");
            long appended, followed;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await using (var queue = DiskQueue.Open(options))
            {
                using var reader = queue.OpenReader(queue.NextSeq);
                var follower = FollowAsync(reader, queue.NextSeq + count - 1, ct);
                for (var i = 0; i < count; i += 1000)
                {
                    var batch = Enumerable.Range(i, Math.Min(1000, count - i)).Select(n => (ReadOnlyMemory<byte>)SampleRecord(n)).ToList();
                    await queue.AppendBatchAsync(batch, ct);
                }

                appended = await queue.CommitAsync(ct);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   appended seqs up to {appended} in {clock.Elapsed.TotalMilliseconds:F0} ms, all durable"));
                followed = await follower;
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2. follow: a reader opened before the first append woke on each commit and read every record live, up to seq {followed}, each checked by CRC and seq"));
            }

            var tail = Directory.GetFiles(folder, "*.seg").Order(StringComparer.Ordinal).Last();
            var cut = 100L;
            using (var file = File.OpenHandle(tail, FileMode.Open, FileAccess.ReadWrite))
            {
                RandomAccess.SetLength(file, RandomAccess.GetLength(file) - cut);
            }

            o.WriteLine($"3. crash: cut {cut} bytes off the tail segment {Path.GetFileName(tail)}, as a power loss in the middle of a write would");
            await using (var queue = DiskQueue.Open(options))
            {
                var whole = 0L;
                using (var reader = queue.OpenReader(queue.FirstSeq))
                {
                    while (reader.TryRead(out _))
                    {
                        whole++;
                    }
                }

                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   reopen: recovery cut the {queue.RecoveredTornBytes} bytes left of the torn record; {whole:N0} whole records read back from seq {queue.FirstSeq}; the next append gets seq {queue.NextSeq}"));
                queue.SetCursor("demo-follower", queue.NextSeq - 1);
                var seq = await queue.AppendAsync(SampleRecord(count), ct);
                await queue.CommitAsync(ct);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   the follower's cursor is saved at {seq - 1} (retention may now drop passed segments); appended again as seq {seq}"));
            }

            o.WriteLine($"4. inspect: kafkasync queue info --path {folder}");
            WriteInfo(DiskQueue.Inspect(folder));
            var info = DiskQueue.Inspect(folder);
            o.WriteLine($"   kafkasync queue peek --path {folder} --from {info.LastSeq - 2} --count 3");
            foreach (var record in DiskQueue.Peek(folder, info.LastSeq - 2, 3))
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {record.Seq,-10} {QueueRecordView.From(record)}"));
            }

            return CliRun.Ok;
        }
        finally
        {
            if (temporary && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<long> FollowAsync(QueueReader reader, long last, CancellationToken ct)
    {
        var seen = reader.NextSeq - 1;
        while (seen < last && await reader.WaitToReadAsync(ct))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Seq != seen + 1)
                {
                    throw new InvalidDataException($"The follower expected seq {seen + 1} but read {record.Seq}.");
                }

                seen = record.Seq;
            }
        }

        return seen;
    }

    private static byte[] SampleRecord(int n) => KafkaRecordSerializer.Serialize(new KafkaRecord
    {
        Topic = "orders",
        Partition = n % 4,
        Offset = n / 4,
        Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Key = Encoding.UTF8.GetBytes("customer-" + (n % 97).ToString(CultureInfo.InvariantCulture)),
        Value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"order\":{n},\"amount\":{n % 1000}.{n % 100:D2},\"currency\":\"EUR\"}}")),
    });
}
