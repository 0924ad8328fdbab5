using System.Buffers;
using System.Text;
using KafkaSync.Engine.Compression;

namespace KafkaSync.Engine.Tests.Compression;

public sealed class ZstdCompressorTests
{
    private static byte[] Json(int seed, int count)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("{\"id\":").Append(random.Next()).Append(",\"status\":\"").Append(i % 3 == 0 ? "open" : "paid").Append("\"}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public void Implements_zstd_1_5_with_its_level_range()
    {
        Assert.InRange(ZstdCompressor.LibraryVersion, 10_500, 19_999);
        Assert.True(ZstdCompressor.MinLevel < 0);
        Assert.Equal(22, ZstdCompressor.MaxLevel);
    }

    [Fact]
    public void One_shot_frames_round_trip_at_every_tested_level()
    {
        var data = Json(1, 2000);
        using var decompressor = new ZstdDecompressor();
        foreach (var level in new[] { -5, 1, 3, 9, 19 })
        {
            using var compressor = new ZstdCompressor(level);
            var compressed = new byte[ZstdCompressor.CompressBound(data.Length)];
            var size = compressor.Compress(data, compressed);
            Assert.True(size < data.Length / 2, $"level {level} compressed {data.Length} to {size}");
            var restored = new byte[data.Length];
            Assert.Equal(data.Length, decompressor.Decompress(compressed.AsSpan(0, size), restored));
            Assert.Equal(data, restored);
        }
    }

    [Fact]
    public void A_stream_flushed_per_chunk_decodes_chunk_by_chunk_and_repeats_cost_almost_nothing()
    {
        using var compressor = new ZstdCompressor(1);
        using var decompressor = new ZstdDecompressor();
        var chunk = Json(2, 300);
        var sizes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var output = new ArrayBufferWriter<byte>();
            sizes.Add(compressor.StreamCompress(chunk, output, endFrame: false));
            var restored = new byte[chunk.Length];
            Assert.Equal(chunk.Length, decompressor.StreamDecompress(output.WrittenSpan, restored));
            Assert.Equal(chunk, restored);
        }

        // The second copy is found in the stream's history: a few bytes instead of a full chunk.
        Assert.True(sizes[1] < sizes[0] / 20, $"first {sizes[0]} B, repeat {sizes[1]} B");
    }

    [Fact]
    public void Changing_the_level_mid_stream_keeps_the_stream_decodable()
    {
        using var compressor = new ZstdCompressor(1);
        using var decompressor = new ZstdDecompressor();
        foreach (var level in new[] { 1, 7, 7, -3, 3 })
        {
            compressor.Level = level;
            var chunk = Json(level + 10, 200);
            var output = new ArrayBufferWriter<byte>();
            compressor.StreamCompress(chunk, output, endFrame: false);
            var restored = new byte[chunk.Length];
            Assert.Equal(chunk.Length, decompressor.StreamDecompress(output.WrittenSpan, restored));
            Assert.Equal(chunk, restored);
        }
    }

    [Fact]
    public void Output_beyond_the_callers_buffer_is_refused_as_a_bomb()
    {
        var zeros = new byte[1 << 20];
        using var compressor = new ZstdCompressor(3);
        var compressed = new byte[ZstdCompressor.CompressBound(zeros.Length)];
        var size = compressor.Compress(zeros, compressed);
        Assert.True(size < 1000);

        using var decompressor = new ZstdDecompressor();
        var small = new byte[4096];
        var ex = Assert.Throws<ZstdException>(() => decompressor.StreamDecompress(compressed.AsSpan(0, size), small));
        Assert.Contains("more than the 4096 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_input_is_reported_with_zstds_own_reason()
    {
        using var decompressor = new ZstdDecompressor();
        var ex = Assert.Throws<ZstdException>(() => decompressor.Decompress("not zstd at all"u8, new byte[100]));
        Assert.Equal("ZSTD_decompressStream", ex.Operation);
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem));
    }

    [Fact]
    public void A_frame_cut_short_is_refused()
    {
        var data = Json(3, 500);
        using var compressor = new ZstdCompressor(1);
        var compressed = new byte[ZstdCompressor.CompressBound(data.Length)];
        var size = compressor.Compress(data, compressed);
        using var decompressor = new ZstdDecompressor();
        Assert.Throws<ZstdException>(() => decompressor.Decompress(compressed.AsSpan(0, size / 2), new byte[data.Length]));
    }

    [Fact]
    public void Levels_outside_libzstds_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressor(23));
        using var compressor = new ZstdCompressor(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => compressor.Level = -1_000_000);
    }
}
