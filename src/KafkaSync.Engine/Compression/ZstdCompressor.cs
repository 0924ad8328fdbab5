using System.Buffers;

using ZstdSharp.Unsafe;

namespace KafkaSync.Engine.Compression;

/// <summary>
/// A reusable zstd compression context. Use it either for independent frames
/// (<see cref="Compress"/>) or for one long stream per connection (<see cref="StreamCompress"/>),
/// where each call is flushed so the peer can decode it at once, yet later calls still find
/// matches in what earlier calls sent. Not thread-safe: one per connection or per thread.
/// </summary>
public sealed class ZstdCompressor : IDisposable
{
    private readonly ZstdCompressionContextHandle _cctx;
    private readonly ZstdDictionary? _dictionary;
    private readonly int _minHashLog;
    private int _level;
    private bool _levelDirty = true;
    private bool _midFrame;

    /// <summary>Creates a context.</summary>
    /// <param name="level">The compression level (<see cref="MinLevel"/>..<see cref="MaxLevel"/>; 1 to 3 suit links).</param>
    /// <param name="dictionary">An optional dictionary; every zstd frame starts from it.</param>
    /// <param name="windowLog">Log2 of the history a stream may reach back into (10..27); 0 lets the level decide.
    /// The peer must accept it (<see cref="ZstdDecompressor"/>'s windowLogMax).</param>
    /// <param name="minHashLog">Log2 of the smallest match-finder hash table (6..26), 0 to keep each level's own.
    /// The fast levels size their table for one-shot inputs; a long stream with a large window finds more
    /// of its distant repeats with a larger table, at some cost in speed.</param>
    public ZstdCompressor(int level, ZstdDictionary? dictionary = null, int windowLog = 0, int minHashLog = 0)
    {
        CheckLevel(level);
        if (windowLog != 0 && windowLog is < 10 or > 27)
        {
            throw new ArgumentOutOfRangeException(nameof(windowLog), windowLog, "The window log must be 0 (the level's default) or between 10 and 27.");
        }

        if (minHashLog != 0 && minHashLog is < 6 or > 26)
        {
            throw new ArgumentOutOfRangeException(nameof(minHashLog), minHashLog, "The minimum hash log must be 0 (the level's own) or between 6 and 26.");
        }

        _minHashLog = minHashLog;
        _cctx = ZstdCompressionContextHandle.Create();
        _dictionary = dictionary;
        _level = level;

        // Our frames carry their own CRC and dictionary id, so zstd's copies would only cost bytes.
        ZstdNative.Check(ZstdNative.CCtxSetParameter(_cctx, ZstdNative.ChecksumFlag, 0), "set checksum flag");
        ZstdNative.Check(ZstdNative.CCtxSetParameter(_cctx, ZstdNative.DictIdFlag, 0), "set dictionary id flag");
        if (windowLog != 0)
        {
            ZstdNative.Check(ZstdNative.CCtxSetParameter(_cctx, ZstdNative.WindowLog, windowLog), "set window log");
        }
    }

    /// <summary>The lowest level zstd accepts (negative levels trade ratio for speed).</summary>
    public static int MinLevel => Native(ZstdNative.MinCLevel);

    /// <summary>The highest level zstd accepts.</summary>
    public static int MaxLevel => Native(ZstdNative.MaxCLevel);

    /// <summary>The zstd version the port implements, e.g. 10507 for 1.5.7.</summary>
    public static int LibraryVersion => (int)Native(ZstdNative.VersionNumber);

    /// <summary>The dictionary every zstd frame starts from, if any.</summary>
    public ZstdDictionary? Dictionary => _dictionary;

    /// <summary>
    /// The compression level. zstd applies a new level only when a zstd frame starts (single-threaded
    /// contexts ignore changes mid-frame), so after a change the next <see cref="StreamCompress"/> call
    /// first ends the current zstd frame: the stream stays decodable and only its history restarts.
    /// </summary>
    public int Level
    {
        get => _level;
        set
        {
            CheckLevel(value);
            if (value != _level)
            {
                _level = value;
                _levelDirty = true;
            }
        }
    }

    /// <summary>The most bytes <see cref="Compress"/> can produce for <paramref name="length"/> input bytes.</summary>
    public static int CompressBound(int length)
    {
        return checked((int)ZstdNative.CompressBound((nuint)length));
    }

    /// <summary>Compresses <paramref name="source"/> into one independent zstd frame.</summary>
    /// <returns>The number of bytes written to <paramref name="destination"/>.</returns>
    /// <exception cref="ZstdException">The destination is too small (size it with <see cref="CompressBound"/>).</exception>
    public unsafe int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_cctx.IsClosed, this);
        ApplyLevel();
        _midFrame = false; // compress2 abandons any stream in progress
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            return (int)ZstdNative.Check(
                ZstdNative.Compress2(_cctx, dst, (nuint)destination.Length, src, (nuint)source.Length), "ZSTD_compress2");
        }
    }

    /// <summary>
    /// Appends <paramref name="source"/> to this context's stream and flushes it, so the bytes written to
    /// <paramref name="output"/> decode to exactly <paramref name="source"/> for a peer that decoded every
    /// earlier call of the stream in order.
    /// </summary>
    /// <param name="source">The bytes to compress.</param>
    /// <param name="output">Where the compressed bytes go.</param>
    /// <param name="endFrame">True to end the zstd frame, so the next call starts with no history
    /// (independent of everything before it, except the dictionary).</param>
    /// <returns>The number of bytes written.</returns>
    public unsafe int StreamCompress(ReadOnlySpan<byte> source, IBufferWriter<byte> output, bool endFrame)
    {
        ArgumentNullException.ThrowIfNull(output);
        ObjectDisposedException.ThrowIf(_cctx.IsClosed, this);
        var written = 0;
        if (_levelDirty && _midFrame)
        {
            written += Drive(ReadOnlySpan<byte>.Empty, output, ZstdNative.EndFrame);
            _midFrame = false;
        }

        ApplyLevel();
        written += Drive(source, output, endFrame ? ZstdNative.EndFrame : ZstdNative.EndFlush);
        _midFrame = !endFrame;
        return written;
    }

    /// <summary>Drops any stream in progress; the next <see cref="StreamCompress"/> starts a new one.</summary>
    public void ResetStream()
    {
        ObjectDisposedException.ThrowIf(_cctx.IsClosed, this);
        ZstdNative.Check(ZstdNative.CCtxReset(_cctx, ZstdNative.ResetSessionOnly), "ZSTD_CCtx_reset");
        _midFrame = false;
    }

    /// <summary>Frees the native context.</summary>
    public void Dispose() => _cctx.Dispose();

    private unsafe int Drive(ReadOnlySpan<byte> source, IBufferWriter<byte> output, ZSTD_EndDirective directive)
    {
        var written = 0;
        fixed (byte* src = source)
        {
            var input = new ZSTD_inBuffer_s { src = src, size = (nuint)source.Length, pos = 0 };
            while (true)
            {
                // Enough room for the whole flush in one go in the common case.
                var span = output.GetSpan(CompressBound(source.Length - (int)input.pos) + 32);
                nuint remaining;
                nuint produced;
                fixed (byte* dst = span)
                {
                    var buffer = new ZSTD_outBuffer_s { dst = dst, size = (nuint)span.Length, pos = 0 };
                    remaining = ZstdNative.Check(ZstdNative.CompressStream2(_cctx, &buffer, &input, directive), "ZSTD_compressStream2");
                    produced = buffer.pos;
                }

                output.Advance((int)produced);
                written += (int)produced;
                if (remaining == 0 && input.pos == input.size)
                {
                    return written;
                }
            }
        }
    }

    private void ApplyLevel()
    {
        if (!_levelDirty)
        {
            return;
        }

        if (_dictionary is null)
        {
            ZstdNative.Check(ZstdNative.CCtxSetParameter(_cctx, ZstdNative.CompressionLevel, _level), "set compression level");

            // An explicit hash log outlives level changes, so set it per level: raised, or 0 for the level's own.
            var own = (int)ZstdNative.GetCParamsHashLog(_level);
            var hashLog = _minHashLog > own ? _minHashLog : 0;
            ZstdNative.Check(ZstdNative.CCtxSetParameter(_cctx, ZstdNative.HashLog, hashLog), "set hash log");
        }
        else
        {
            // A referenced CDict imposes its own level, so switch to the digest built for this level.
            ZstdNative.Check(ZstdNative.CCtxRefCDict(_cctx, _dictionary.ForCompression(_level)), "ZSTD_CCtx_refCDict");
        }

        _levelDirty = false;
    }

    private static void CheckLevel(int level)
    {
        if (level < MinLevel || level > MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"The zstd level must be between {MinLevel} and {MaxLevel}.");
        }
    }

    private static T Native<T>(Func<T> call)
    {
        return call();
    }
}
