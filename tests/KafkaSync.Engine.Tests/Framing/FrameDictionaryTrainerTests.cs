using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Framing;

public sealed class FrameDictionaryTrainerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ks-dict-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_dictionary_trained_on_a_queue_shrinks_small_independent_frames_of_new_traffic()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var queuePath = Path.Combine(_dir, "queue");
        await using (var queue = DiskQueue.Open(new DiskQueueOptions { Path = queuePath }))
        {
            await queue.AppendBatchAsync(new EventGenerator(1).TakeQueueRecords(5000).Select(r => r.Payload).ToArray(), timeout.Token);
            await queue.CommitAsync(timeout.Token);
        }

        var file = Path.Combine(_dir, "frames.zdict");
        var info = FrameDictionaryTrainer.TrainFromQueue(queuePath, file, samples: 3000, maxBytes: 32 * 1024);
        Assert.Equal(3000, info.Samples);
        Assert.Equal(new FileInfo(file).Length, info.Bytes);

        // Later traffic, framed in small independent frames as a trickle would be.
        var records = new EventGenerator(2).TakeQueueRecords(400);
        var plain = new FrameOptions { Streaming = false };
        var withDictionary = plain with { DictionaryPath = file };
        var plainBytes = WireBytes(plain, records);
        var dictionaryBytes = WireBytes(withDictionary, records);
        Assert.True(dictionaryBytes < plainBytes * 0.9, $"with dictionary {dictionaryBytes} B, without {plainBytes} B");
    }

    [Fact]
    public async Task A_queue_with_too_few_records_is_refused_with_the_count()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var queuePath = Path.Combine(_dir, "queue");
        await using (var queue = DiskQueue.Open(new DiskQueueOptions { Path = queuePath }))
        {
            await queue.AppendBatchAsync(new EventGenerator(1).TakeQueueRecords(20).Select(r => r.Payload).ToArray(), timeout.Token);
            await queue.CommitAsync(timeout.Token);
        }

        var ex = Assert.Throws<ZstdException>(() => FrameDictionaryTrainer.TrainFromQueue(queuePath, Path.Combine(_dir, "d"), samples: 1000));
        Assert.Contains("holds 20 records", ex.Message, StringComparison.Ordinal);
    }

    private static long WireBytes(FrameOptions options, KafkaSync.Engine.Queue.QueueRecord[] records)
    {
        using var encoder = new FrameEncoder(options);
        using var decoder = new FrameDecoder(options);
        long total = 0;
        for (var start = 0; start < records.Length; start += 20)
        {
            var batch = records[start..Math.Min(records.Length, start + 20)];
            var bytes = FrameTestData.Encode(encoder, batch);
            FrameTestData.AssertSame(batch, FrameTestData.DecodeOne(decoder, bytes));
            total += bytes.Length;
        }

        return total;
    }
}
