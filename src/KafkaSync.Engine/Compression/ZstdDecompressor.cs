using ZstdSharp.Unsafe;

namespace KafkaSync.Engine.Compression;

/// <summary>
/// A reusable zstd decompression context with hard bounds: it never writes past the caller's
/// buffer, reports input that would decode to more than that buffer (a decompression bomb) as an
/// error, and refuses streams that need a larger history window than allowed.
/// Not thread-safe: one per connection or per thread.
/// </summary>
public sealed class ZstdDecompressor : IDisposable
{
    /// <summary>The default history limit: 2^24 bytes (16 MiB) per stream.</summary>
    public const int DefaultWindowLogMax = 24;

    private readonly ZstdDecompressionContextHandle _dctx;
    private readonly int _windowLogMax;
    private ZstdDictionary? _dictionary;

    /// <summary>Creates a context.</summary>
    /// <param name="windowLogMax">Log2 of the largest history window a peer may ask for (10..31);
    /// bounds the memory a hostile stream can make us reserve.</param>
    public ZstdDecompressor(int windowLogMax = DefaultWindowLogMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowLogMax, 10);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowLogMax, 31);
        _dctx = ZstdDecompressionContextHandle.Create();
        _windowLogMax = windowLogMax;
        ZstdNative.Check(ZstdNative.DCtxSetParameter(_dctx, ZstdNative.WindowLogMax, windowLogMax), "set window log max");
    }

    /// <summary>The dictionary zstd frames are decoded with, or null. Changes apply from the next zstd frame.</summary>
    public ZstdDictionary? Dictionary
    {
        get => _dictionary;
        set
        {
            ObjectDisposedException.ThrowIf(_dctx.IsClosed, this);
            if (ReferenceEquals(value, _dictionary))
            {
                return;
            }

            if (value is null)
            {
                ZstdNative.Check(ZstdNative.DCtxReset(_dctx, ZstdNative.ResetSessionAndParameters), "ZSTD_DCtx_reset");
                ZstdNative.Check(ZstdNative.DCtxSetParameter(_dctx, ZstdNative.WindowLogMax, _windowLogMax), "set window log max");
            }
            else
            {
                ZstdNative.Check(ZstdNative.DCtxRefDDict(_dctx, value.ForDecompression()), "ZSTD_DCtx_refDDict");
            }

            _dictionary = value;
        }
    }

    /// <summary>
    /// Decodes <paramref name="source"/> as the next piece of this context's stream (one or more whole
    /// zstd frames or a flushed part of one) into <paramref name="destination"/>.
    /// </summary>
    /// <returns>The number of bytes produced.</returns>
    /// <exception cref="ZstdException">The input is corrupt, or it decodes to more than
    /// <paramref name="destination"/> holds (nothing past the buffer is ever written).</exception>
    public int StreamDecompress(ReadOnlySpan<byte> source, Span<byte> destination) =>
        Run(source, destination, out _);

    /// <summary>Decodes whole independent zstd frames in <paramref name="source"/> (resets any stream in progress).</summary>
    /// <returns>The number of bytes produced.</returns>
    /// <exception cref="ZstdException">The input is corrupt, incomplete, or decodes to more than <paramref name="destination"/> holds.</exception>
    public int Decompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ResetStream();
        var produced = Run(source, destination, out var frameComplete);
        ResetStream();
        return frameComplete ? produced : throw new ZstdException("ZSTD_decompressStream", "the input ends inside a zstd frame");
    }

    /// <summary>Drops any stream in progress, keeping the settings and dictionary.</summary>
    public void ResetStream()
    {
        ObjectDisposedException.ThrowIf(_dctx.IsClosed, this);
        ZstdNative.Check(ZstdNative.DCtxReset(_dctx, ZstdNative.ResetSessionOnly), "ZSTD_DCtx_reset");
    }

    /// <summary>Frees the native context.</summary>
    public void Dispose() => _dctx.Dispose();

    private unsafe int Run(ReadOnlySpan<byte> source, Span<byte> destination, out bool frameComplete)
    {
        frameComplete = false;
        ObjectDisposedException.ThrowIf(_dctx.IsClosed, this);
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            var input = new ZSTD_inBuffer_s { src = src, size = (nuint)source.Length, pos = 0 };
            var output = new ZSTD_outBuffer_s { dst = dst, size = (nuint)destination.Length, pos = 0 };
            while (input.pos < input.size)
            {
                var before = input.pos + output.pos;
                frameComplete = ZstdNative.Check(ZstdNative.DecompressStream(_dctx, &output, &input), "ZSTD_decompressStream") == 0;
                if (output.pos == output.size && input.pos < input.size)
                {
                    throw new ZstdException("ZSTD_decompressStream", $"the input decodes to more than the {destination.Length} bytes allowed");
                }

                if (input.pos + output.pos == before)
                {
                    throw new ZstdException("ZSTD_decompressStream", "no progress on the input");
                }
            }

            if (output.pos == output.size)
            {
                // The output is full: make sure the context holds nothing more back.
                byte spare;
                var probe = new ZSTD_outBuffer_s { dst = &spare, size = 1, pos = 0 };
                // After a finished frame the context waits for the next header and returns its size, not 0.
                frameComplete |= ZstdNative.Check(ZstdNative.DecompressStream(_dctx, &probe, &input), "ZSTD_decompressStream") == 0;
                if (probe.pos != 0)
                {
                    throw new ZstdException("ZSTD_decompressStream", $"the input decodes to more than the {destination.Length} bytes allowed");
                }
            }

            return (int)output.pos;
        }
    }
}
