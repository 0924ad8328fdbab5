using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// Measures the frame codec on generated records: speed per zstd level, row against columnar
/// layout, one stream per connection against independent frames, with and without a trained
/// dictionary, and, last, our bytes against Kafka's 16 KiB-per-partition zstd batches at the same level.
/// Every encoded frame is decoded again and compared, so a figure never comes from a broken codec.
/// </summary>
public static class FrameBenchmark
{
    /// <summary>Runs the benchmark, writing one line per figure to <paramref name="output"/>.</summary>
    /// <returns>The final figure: our wire bytes divided by the Kafka batches' bytes.</returns>
    public static double Run(FrameBenchmarkOptions options, TextWriter output, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        var frames = new FrameOptions { WindowLog = options.WindowLog };
        var generator = new EventGenerator(options.Seed);
        var kafkaRecords = generator.Take(options.Records);
        var records = kafkaRecords.Select((r, i) => new QueueRecord(i + 1, KafkaRecordSerializer.Serialize(r))).ToArray();
        var payload = records.Sum(r => (long)r.Payload.Length);
        var batches = Cut(records, options.FrameBytes);
        var partitions = kafkaRecords.Select(r => (r.Topic, r.Partition)).Distinct().Count();
        output.WriteLine(Invariant($"records: {records.Length:N0} in {EventGenerator.Topics.Count} topics, {partitions} partitions; payload {Mb(payload):F1} MB, {payload / records.Length} B per record; {batches.Count} frames of ~{options.FrameBytes / 1024} KiB"));

        // Warm up: the first pass through the code pays for JIT compilation, which is not the codec's cost.
        var warmup = batches.Take(8).ToList();
        foreach (var layout in new[] { FrameLayout.Row, FrameLayout.Columnar })
        {
            Measure(warmup, frames with { Codec = FrameCodec.None, Layout = layout });
            Measure(warmup, frames with { Layout = layout });
        }

        foreach (var layout in new[] { FrameLayout.Row, FrameLayout.Columnar })
        {
            var plain = BestOf3(batches, frames with { Codec = FrameCodec.None, Layout = layout });
            output.WriteLine(Invariant($"no codec  : encode {Mb(payload) / plain.EncodeSeconds,7:F1} MB/s ({Mb(payload) / plain.EncodeCpu,6:F0} per CPU-s), decode {Mb(payload) / plain.DecodeSeconds,7:F1} MB/s ({Mb(payload) / plain.DecodeCpu,6:F0} per CPU-s) ({layout.ToString().ToLowerInvariant()} layout alone)"));
        }

        foreach (var level in options.Levels)
        {
            cancellation.ThrowIfCancellationRequested();
            var run = BestOf3(batches, frames with { Level = level });
            output.WriteLine(Invariant($"level {level,2}: compress {Mb(payload) / run.EncodeSeconds,7:F1} MB/s ({Mb(payload) / run.EncodeCpu,6:F0} per CPU-s), decompress {Mb(payload) / run.DecodeSeconds,7:F1} MB/s ({Mb(payload) / run.DecodeCpu,6:F0} per CPU-s), ratio {(double)payload / run.WireBytes:F2} (columnar, streaming)"));
        }

        var level0 = options.Level;
        double Ratio(FrameOptions frameOptions, ZstdDictionary? dictionary = null) =>
            (double)payload / Measure(batches, frameOptions, dictionary).WireBytes;

        cancellation.ThrowIfCancellationRequested();
        output.WriteLine(Invariant($"layout row      (level {level0}, streaming): ratio {Ratio(frames with { Level = level0, Layout = FrameLayout.Row }):F2}"));
        output.WriteLine(Invariant($"layout columnar (level {level0}, streaming): ratio {Ratio(frames with { Level = level0 }):F2}"));
        output.WriteLine(Invariant($"field columns   (level {level0}, streaming): off {Ratio(frames with { Level = level0, FieldColumns = false }):F2}, on {Ratio(frames with { Level = level0 }):F2}"));
        output.WriteLine(Invariant($"hash log        (level {level0}, columnar, streaming): the level's own {Ratio(frames with { Level = level0, MinHashLog = 0 }):F2}, at least 2^16 {Ratio(frames with { Level = level0, MinHashLog = 16 }):F2}, at least 2^17 {Ratio(frames with { Level = level0, MinHashLog = 17 }):F2}, at least 2^18 {Ratio(frames with { Level = level0, MinHashLog = 18 }):F2}"));
        output.WriteLine(Invariant($"layout row      (level {level0}, independent frames): ratio {Ratio(frames with { Level = level0, Layout = FrameLayout.Row, Streaming = false }):F2}"));
        output.WriteLine(Invariant($"layout columnar (level {level0}, independent frames): ratio {Ratio(frames with { Level = level0, Streaming = false }):F2}"));

        // Train on other records than those measured, as a user trains on yesterday's traffic.
        cancellation.ThrowIfCancellationRequested();
        var samples = new EventGenerator(options.Seed + 1).Take(20_000).Select(r => (ReadOnlyMemory<byte>)KafkaRecordSerializer.Serialize(r)).ToArray();
        var trainClock = Stopwatch.StartNew();
        using var dictionary = ZstdDictionary.Train(samples);
        output.WriteLine(Invariant($"dictionary: {dictionary.Content.Length / 1024} KiB, id {dictionary.Id}, trained on {samples.Length:N0} other records in {trainClock.Elapsed.TotalSeconds:F2} s"));
        if (options.SaveDictionaryPath is not null)
        {
            dictionary.Save(options.SaveDictionaryPath);
            output.WriteLine($"dictionary saved: {options.SaveDictionaryPath}");
        }

        output.WriteLine(Invariant($"dictionary      (level {level0}, independent frames): ratio {Ratio(frames with { Level = level0, Streaming = false }, dictionary):F2}"));
        output.WriteLine(Invariant($"dictionary      (level {level0}, streaming): ratio {Ratio(frames with { Level = level0 }, dictionary):F2}"));

        var small = Cut(records, 16 << 10);
        output.WriteLine(Invariant($"16 KiB frames   (level {level0}, columnar): streaming ratio {(double)payload / Measure(small, frames with { Level = level0 }).WireBytes:F2}, independent ratio {(double)payload / Measure(small, frames with { Level = level0, Streaming = false }).WireBytes:F2}, independent with dictionary {(double)payload / Measure(small, frames with { Level = level0, Streaming = false }, dictionary).WireBytes:F2}"));

        cancellation.ThrowIfCancellationRequested();
        var ours = Measure(batches, frames with { Level = level0 });
        var kafka = KafkaBatchBaseline.Measure(kafkaRecords, level0);
        output.WriteLine(Invariant($"kafka-batches   (level {level0}, 16 KiB per partition): {kafka.Batches:N0} batches, ratio {(double)payload / kafka.CompressedBytes:F2}, {kafka.CompressedBytes:N0} B; frames (level {level0}, columnar, streaming): {ours.WireBytes:N0} B"));
        var ratio = (double)ours.WireBytes / kafka.CompressedBytes;
        output.WriteLine(Invariant($"frames-vs-kafka-batches: {ratio:F3}"));
        return ratio;
    }

    /// <summary>Cuts the records into contiguous batches of about <paramref name="frameBytes"/> payload bytes.</summary>
    internal static List<QueueRecord[]> Cut(QueueRecord[] records, int frameBytes)
    {
        var batches = new List<QueueRecord[]>();
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < records.Length; i++)
        {
            bytes += records[i].Payload.Length;
            if (bytes >= frameBytes || i == records.Length - 1)
            {
                batches.Add(records[start..(i + 1)]);
                start = i + 1;
                bytes = 0;
            }
        }

        return batches;
    }

    private static Measurement Measure(List<QueueRecord[]> batches, FrameOptions options, ZstdDictionary? dictionary = null)
    {
        using var encoder = new FrameEncoder(options, dictionary);
        using var decoder = new FrameDecoder(options, dictionary is null ? null : [dictionary]);
        var wire = new ArrayBufferWriter<byte>(64 << 20);
        var ends = new List<int>(batches.Count);
        var cpu = ThreadCpuClock.Seconds();
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            encoder.Encode(batch, wire);
            ends.Add(wire.WrittenCount);
        }

        var encodeSeconds = clock.Elapsed.TotalSeconds;
        var encodeCpu = ThreadCpuClock.Seconds() - cpu;
        cpu = ThreadCpuClock.Seconds();
        clock.Restart();
        var input = new ReadOnlySequence<byte>(wire.WrittenMemory);
        var decoded = new List<DecodedFrame>(batches.Count);
        while (decoder.TryDecode(ref input, out var frame))
        {
            decoded.Add(frame);
        }

        var decodeSeconds = clock.Elapsed.TotalSeconds;
        var decodeCpu = ThreadCpuClock.Seconds() - cpu;
        Verify(batches, decoded);
        return new Measurement(wire.WrittenCount, encodeSeconds, decodeSeconds, encodeCpu, decodeCpu);
    }

    /// <summary>Speeds are the best of three passes: on a shared machine the slower passes measure the neighbours.</summary>
    private static Measurement BestOf3(List<QueueRecord[]> batches, FrameOptions options)
    {
        var runs = Enumerable.Range(0, 3).Select(_ => Measure(batches, options)).ToArray();
        return new Measurement(runs[0].WireBytes, runs.Min(r => r.EncodeSeconds), runs.Min(r => r.DecodeSeconds), runs.Min(r => r.EncodeCpu), runs.Min(r => r.DecodeCpu));
    }

    private static void Verify(List<QueueRecord[]> batches, List<DecodedFrame> decoded)
    {
        if (decoded.Count != batches.Count)
        {
            throw new InvalidDataException($"Decoded {decoded.Count} frames of {batches.Count}.");
        }

        for (var f = 0; f < batches.Count; f++)
        {
            for (var i = 0; i < batches[f].Length; i++)
            {
                if (decoded[f].Records[i].Seq != batches[f][i].Seq || !decoded[f].Records[i].Payload.Span.SequenceEqual(batches[f][i].Payload.Span))
                {
                    throw new InvalidDataException($"Record seq {batches[f][i].Seq} did not survive the round trip.");
                }
            }
        }
    }

    private static double Mb(long bytes) => bytes / 1e6;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Measurement(long WireBytes, double EncodeSeconds, double DecodeSeconds, double EncodeCpu, double DecodeCpu);
}
