using System.Buffers;
using KafkaSync.Engine.Benchmarks;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Compression;

public sealed class ZstdDictionaryTests
{
    private static ReadOnlyMemory<byte>[] Samples(int seed, int count) =>
        new EventGenerator(seed).Take(count).Select(r => (ReadOnlyMemory<byte>)KafkaRecordSerializer.Serialize(r)).ToArray();

    [Fact]
    public void A_trained_dictionary_shrinks_small_independent_frames_and_keeps_its_id_through_a_file()
    {
        using var dictionary = ZstdDictionary.Train(Samples(1, 5000), 32 * 1024);
        Assert.NotEqual(0u, dictionary.Id);

        var record = Samples(2, 1)[0];
        using var plain = new ZstdCompressor(3);
        using var withDictionary = new ZstdCompressor(3, dictionary);
        var buffer = new byte[ZstdCompressor.CompressBound(record.Length)];
        var plainSize = plain.Compress(record.Span, buffer);
        var size = withDictionary.Compress(record.Span, buffer);
        Assert.True(size < plainSize * 0.8, $"with dictionary {size} B, without {plainSize} B");

        var path = Path.Combine(Path.GetTempPath(), $"kafkasync-dict-{Guid.NewGuid():N}.zdict");
        try
        {
            dictionary.Save(path);
            using var loaded = ZstdDictionary.Load(path);
            Assert.Equal(dictionary.Id, loaded.Id);
            using var decompressor = new ZstdDecompressor { Dictionary = loaded };
            var restored = new byte[record.Length];
            Assert.Equal(record.Length, decompressor.Decompress(buffer.AsSpan(0, size), restored));
            Assert.Equal(record.ToArray(), restored);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_stream_compressed_with_a_dictionary_does_not_decode_without_it()
    {
        using var dictionary = ZstdDictionary.Train(Samples(3, 3000), 16 * 1024);
        var record = Samples(4, 1)[0];
        using var compressor = new ZstdCompressor(1, dictionary);
        var output = new ArrayBufferWriter<byte>();
        compressor.StreamCompress(record.Span, output, endFrame: true);
        using var decompressor = new ZstdDecompressor();
        Assert.ThrowsAny<ZstdException>(() =>
        {
            var restored = new byte[record.Length];
            decompressor.Decompress(output.WrittenSpan, restored);
            Assert.NotEqual(record.ToArray(), restored);
        });
    }

    [Fact]
    public void Bytes_that_are_not_a_trained_dictionary_are_refused()
    {
        var ex = Assert.Throws<ZstdException>(() => new ZstdDictionary("just some text, no dictionary header"u8));
        Assert.Contains("not a trained zstd dictionary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_with_too_few_samples_is_refused_with_a_reason()
    {
        var ex = Assert.Throws<ZstdException>(() => ZstdDictionary.Train(Samples(5, 3)));
        Assert.Contains("at least 8 samples", ex.Message, StringComparison.Ordinal);
    }
}
