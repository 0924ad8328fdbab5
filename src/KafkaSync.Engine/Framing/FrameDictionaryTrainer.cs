using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// Trains a zstd dictionary on a queue's own records, for <see cref="FrameOptions.DictionaryPath"/>.
/// A dictionary pays off for small frames compressed on their own (a trickle, or streaming off);
/// with one stream per connection and 256 KiB frames the stream's history already does its work.
/// </summary>
public static class FrameDictionaryTrainer
{
    /// <summary>The default number of records to train on.</summary>
    public const int DefaultSamples = 20_000;

    /// <summary>Trains on the newest <paramref name="samples"/> records of the queue at <paramref name="queuePath"/> and saves the dictionary.</summary>
    /// <param name="queuePath">The queue folder (read without its lock: safe while its owner runs).</param>
    /// <param name="outputPath">The dictionary file to write (replaced if it exists).</param>
    /// <param name="samples">Records to train on, 100..1,000,000.</param>
    /// <param name="maxBytes">The largest dictionary, 1 KiB..1 MiB.</param>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    /// <exception cref="QueueException">The queue cannot be read.</exception>
    /// <exception cref="ZstdException">Training failed, e.g. the queue holds too few records.</exception>
    public static FrameDictionaryInfo TrainFromQueue(string queuePath, string outputPath, int samples = DefaultSamples, int maxBytes = ZstdDictionary.DefaultMaxSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(queuePath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        OptionsException.ThrowIfOutOfRange("samples", samples, 100, 1_000_000);
        OptionsException.ThrowIfOutOfRange("maxSize", maxBytes, 1024, 1 << 20, ByteSize.Format);
        var info = DiskQueue.Inspect(queuePath);
        var from = Math.Max(info.FirstSeq, info.LastSeq - samples + 1);
        var records = info.Records == 0 ? [] : DiskQueue.Peek(queuePath, Math.Max(1, from), samples);
        if (records.Count < 100)
        {
            throw new ZstdException("dictionary training", $"the queue holds {records.Count} records; at least 100 are needed, a few thousand work well");
        }

        using var dictionary = ZstdDictionary.Train(records.Select(r => r.Payload).ToArray(), maxBytes);
        var full = Path.GetFullPath(outputPath);
        dictionary.Save(full);
        return new FrameDictionaryInfo(full, dictionary.Id, dictionary.Content.Length, records.Count, records.Sum(r => (long)r.Payload.Length));
    }
}
