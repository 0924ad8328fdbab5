using System.Buffers;
using System.Text;
using KafkaSync.Engine.Compression;
using ZstdSharp.Unsafe;

namespace KafkaSync.Engine.Tests.Compression;

/// <summary>Why <see cref="ZstdCompressor.Level"/> ends the zstd frame before a new level applies.</summary>
public sealed class ZstdLevelChangeTests
{
    private static byte[] Text(int seed)
    {
        var random = new Random(seed);
        var words = new[] { "alpha", "beta", "gamma", "delta", "status", "order", "paid", "open", "customer", "amount" };
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(100)).Append(' ');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public unsafe void Zstd_ignores_a_level_set_in_the_middle_of_a_single_threaded_frame()
    {
        var first = Text(1);
        var second = Text(2);
        using var steady = ZstdCompressionContextHandle.Create();
        using var changed = ZstdCompressionContextHandle.Create();
        ZstdNative.Check(ZstdNative.CCtxSetParameter(steady, ZstdNative.CompressionLevel, 1), "level");
        ZstdNative.Check(ZstdNative.CCtxSetParameter(changed, ZstdNative.CompressionLevel, 1), "level");
        Flush(steady, first);
        Flush(changed, first);

        // Accepted without error...
        ZstdNative.Check(ZstdNative.CCtxSetParameter(changed, ZstdNative.CompressionLevel, 19), "level");

        // ...but the rest of the frame is compressed exactly as at level 1.
        Assert.Equal(Flush(steady, second), Flush(changed, second));
    }

    [Fact]
    public void Our_compressor_applies_a_new_level_from_the_next_call()
    {
        var first = Text(1);
        var second = Text(2);
        using var steady = new ZstdCompressor(1);
        using var changed = new ZstdCompressor(1);
        steady.StreamCompress(first, new ArrayBufferWriter<byte>(), endFrame: false);
        changed.StreamCompress(first, new ArrayBufferWriter<byte>(), endFrame: false);
        changed.Level = 19;
        var atOne = steady.StreamCompress(second, new ArrayBufferWriter<byte>(), endFrame: false);
        var atNineteen = changed.StreamCompress(second, new ArrayBufferWriter<byte>(), endFrame: false);
        Assert.True(atNineteen < atOne * 0.95, $"level 19: {atNineteen} B, level 1: {atOne} B");
    }

    private static unsafe byte[] Flush(ZstdCompressionContextHandle cctx, byte[] data)
    {
        var output = new byte[ZstdCompressor.CompressBound(data.Length) + 64];
        fixed (byte* src = data)
        fixed (byte* dst = output)
        {
            var input = new ZSTD_inBuffer_s { src = src, size = (nuint)data.Length };
            var buffer = new ZSTD_outBuffer_s { dst = dst, size = (nuint)output.Length };
            Assert.Equal(0u, (uint)ZstdNative.Check(ZstdNative.CompressStream2(cctx, &buffer, &input, ZstdNative.EndFlush), "flush"));
            return output[..(int)buffer.pos];
        }
    }
}
