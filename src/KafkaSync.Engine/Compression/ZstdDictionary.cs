namespace KafkaSync.Engine.Compression;

/// <summary>
/// A zstd dictionary: trained from sample records with <see cref="Train"/> or loaded from a file.
/// Its <see cref="Id"/> travels in every frame compressed with it, so a receiver can tell which
/// dictionary it needs. Digested forms are built once (per compression level) and reused.
/// </summary>
public sealed class ZstdDictionary : IDisposable
{
    /// <summary>The default dictionary size when training (zstd's own default, 110 KiB).</summary>
    public const int DefaultMaxSize = 112_640;

    private readonly byte[] _content;
    private readonly Dictionary<int, ZstdCDictHandle> _compression = [];
    private ZstdDDictHandle? _decompression;
    private bool _disposed;

    /// <summary>Wraps dictionary bytes produced by zstd training (ours or the <c>zstd --train</c> tool).</summary>
    /// <exception cref="ZstdException">The bytes are not a trained zstd dictionary (they carry no id).</exception>
    public unsafe ZstdDictionary(ReadOnlySpan<byte> content)
    {
        _content = content.ToArray();
        fixed (byte* p = _content)
        {
            Id = ZstdNative.GetDictId(p, (nuint)_content.Length);
        }

        if (Id == 0)
        {
            throw new ZstdException("dictionary load", "the bytes are not a trained zstd dictionary (no dictionary id); train one with Train or 'zstd --train'");
        }
    }

    /// <summary>The dictionary id (never 0), as written in frame headers.</summary>
    public uint Id { get; }

    /// <summary>The dictionary bytes, as saved to and loaded from a file.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>Trains a dictionary from sample records (typically a few thousand serialized records).</summary>
    /// <param name="samples">Representative inputs; zstd wants roughly 100 times the dictionary size in total.</param>
    /// <param name="maxSize">The largest dictionary to produce, in bytes.</param>
    /// <exception cref="ZstdException">Training failed, typically because there were too few or too small samples.</exception>
    public static unsafe ZstdDictionary Train(IReadOnlyList<ReadOnlyMemory<byte>> samples, int maxSize = DefaultMaxSize)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 256);
        var total = samples.Sum(s => (long)s.Length);
        if (samples.Count < 8 || total > int.MaxValue)
        {
            throw new ZstdException("ZDICT_trainFromBuffer", $"needs at least 8 samples and under 2 GiB in total (got {samples.Count} samples, {total} bytes)");
        }

        var joined = new byte[total];
        var sizes = new nuint[samples.Count];
        var pos = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            samples[i].Span.CopyTo(joined.AsSpan(pos));
            sizes[i] = (nuint)samples[i].Length;
            pos += samples[i].Length;
        }

        var dict = new byte[maxSize];
        nuint size;
        fixed (byte* d = dict)
        fixed (byte* j = joined)
        fixed (nuint* s = sizes)
        {
            size = ZstdNative.CheckDict(ZstdNative.TrainFromBuffer(d, (nuint)dict.Length, j, s, (uint)sizes.Length), "ZDICT_trainFromBuffer");
        }

        return new ZstdDictionary(dict.AsSpan(0, (int)size));
    }

    /// <summary>Loads a dictionary saved with <see cref="Save"/> (or by <c>zstd --train</c>).</summary>
    public static ZstdDictionary Load(string path) => new(File.ReadAllBytes(path));

    /// <summary>Writes the dictionary bytes to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, _content);

    /// <summary>Frees the digested forms. Contexts still using this dictionary must be disposed first.</summary>
    public void Dispose()
    {
        lock (_compression)
        {
            _disposed = true;
            foreach (var handle in _compression.Values)
            {
                handle.Dispose();
            }

            _compression.Clear();
            _decompression?.Dispose();
        }
    }

    internal ZstdCDictHandle ForCompression(int level)
    {
        lock (_compression)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_compression.TryGetValue(level, out var handle))
            {
                // A CDict fixes its level, so each level gets its own digest.
                handle = ZstdCDictHandle.Create(_content, level);
                _compression.Add(level, handle);
            }

            return handle;
        }
    }

    internal ZstdDDictHandle ForDecompression()
    {
        lock (_compression)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _decompression ??= ZstdDDictHandle.Create(_content);
        }
    }
}
