using System.Text.Json.Serialization;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Compression;

namespace KafkaSync.Engine.Framing;

/// <summary>
/// How the link packs records into frames. Both ends need the same limits (the receiver enforces
/// them on what it is sent); the codec, level, layout and streaming are the sender's choice and
/// travel in each frame header. Config field names are given in camelCase under <c>frames</c>.
/// </summary>
public sealed record FrameOptions
{
    /// <summary>The largest <see cref="MaxFrameRawBytes"/> that may be configured (256 MiB).</summary>
    public const int MaxFrameRawBytesLimit = 256 << 20;

    /// <summary>Payload compression. Default: <see cref="FrameCodec.Zstd"/>.</summary>
    public FrameCodec Codec { get; init; } = FrameCodec.Zstd;

    /// <summary>
    /// zstd level, from zstd's minimum (negative = faster) to 22. Default 1: on JSON-like records
    /// streamed over one connection, higher levels gained little ratio for much more CPU (see docs/framing.md).
    /// </summary>
    public int Level { get; init; } = 1;

    /// <summary>Record layout inside a frame. Default: <see cref="FrameLayout.Columnar"/>.</summary>
    public FrameLayout Layout { get; init; } = FrameLayout.Columnar;

    /// <summary>
    /// True (default) to send JSON-like values in the columnar layout as templates and field columns:
    /// field names cross once per frame, and each field's values are compressed side by side (see
    /// docs/framing.md). Needs a target that speaks link protocol 2; against an older one the sender
    /// turns it off by itself.
    /// </summary>
    public bool FieldColumns { get; init; } = true;

    /// <summary>
    /// True (default) to keep one zstd stream per connection, flushed at every frame, so small frames
    /// still compress against everything sent before; false to compress each frame on its own.
    /// </summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Log2 of the history window a zstd stream may reach back into (10..27), 0 for the level's default. Default 23 (8 MiB).</summary>
    public int WindowLog { get; init; } = 23;

    /// <summary>
    /// Log2 of the smallest zstd match-finder hash table (6..26), 0 for each level's own. Default 18: the
    /// fast levels size their table (2^14 at level 1) for one-shot inputs, so on a long stream they forget
    /// repeats that are still in the window; at level 1 with 1 MiB frames 2^16 bought 13% ratio and 2^18
    /// another 5%, for about a tenth more compressing CPU (see docs/framing.md). Only the sender uses it.
    /// </summary>
    public int MinHashLog { get; init; } = 18;

    /// <summary>A trained zstd dictionary file (see <see cref="ZstdDictionary.Train"/>); the receiver needs the same file.</summary>
    public string? DictionaryPath { get; init; }

    /// <summary>
    /// The hard limit on a frame's records' payload bytes and on its declared sizes, checked before
    /// anything is allocated. Must be at least the largest record. Default 16 MiB.
    /// </summary>
    [JsonConverter(typeof(SizeInt32JsonConverter))]
    public int MaxFrameRawBytes { get; init; } = 16 << 20;

    /// <summary>The hard limit on records per frame. Default 65,536.</summary>
    public int MaxRecordsPerFrame { get; init; } = 65_536;

    /// <summary>Cut a frame once its payloads reach this many bytes. Default 256 KiB.</summary>
    [JsonConverter(typeof(SizeInt32JsonConverter))]
    public int TargetFrameBytes { get; init; } = 256 << 10;

    /// <summary>Cut a frame once its oldest record has waited this long, so a trickle still goes out promptly. Default 5 ms.</summary>
    /// <remarks>
    /// 5 ms, as Kafka producers linger: at 5,000 records/s over a 40 ms link, 20 ms put p99
    /// replication latency at 389 ms and 5 ms at 211 ms; a backlog fills frames by size anyway.
    /// </remarks>
    public TimeSpan MaxFrameDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Checks every setting, naming the first bad field and its allowed range.</summary>
    /// <exception cref="OptionsException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Codec))
        {
            throw new OptionsException("frames.codec", $"'{Codec}' is not a codec; use none or zstd.");
        }

        if (!Enum.IsDefined(Layout))
        {
            throw new OptionsException("frames.layout", $"'{Layout}' is not a layout; use row or columnar.");
        }

        OptionsException.ThrowIfOutOfRange("frames.level", Level, ZstdCompressor.MinLevel, ZstdCompressor.MaxLevel);
        if (WindowLog != 0)
        {
            OptionsException.ThrowIfOutOfRange("frames.windowLog", WindowLog, 10, 27);
        }

        if (MinHashLog != 0)
        {
            OptionsException.ThrowIfOutOfRange("frames.minHashLog", MinHashLog, 6, 26);
        }

        OptionsException.ThrowIfOutOfRange("frames.maxFrameRawBytes", MaxFrameRawBytes, 4096, MaxFrameRawBytesLimit, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("frames.maxRecordsPerFrame", MaxRecordsPerFrame, 1, 1 << 24);
        OptionsException.ThrowIfOutOfRange("frames.targetFrameBytes", TargetFrameBytes, 1, MaxFrameRawBytes, ByteSize.Format);
        OptionsException.ThrowIfOutOfRange("frames.maxFrameDelay", MaxFrameDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        if (DictionaryPath is not null && !File.Exists(DictionaryPath))
        {
            throw new OptionsException("frames.dictionaryPath", $"the file '{DictionaryPath}' does not exist; train one with 'kafkasync bench frames --save-dictionary FILE' or leave it unset.");
        }

        if (DictionaryPath is not null && Codec != FrameCodec.Zstd)
        {
            throw new OptionsException("frames.dictionaryPath", "a dictionary needs codec zstd.");
        }
    }

    /// <summary>
    /// True when a frame holding <paramref name="pendingRecords"/> records of <paramref name="pendingBytes"/>
    /// payload bytes, the oldest waiting for <paramref name="oldestAge"/>, should be sent now.
    /// </summary>
    public bool ShouldCut(int pendingBytes, int pendingRecords, TimeSpan oldestAge) =>
        pendingRecords > 0 && (pendingBytes >= TargetFrameBytes || pendingRecords >= MaxRecordsPerFrame || oldestAge >= MaxFrameDelay);

    /// <summary>True when a record of <paramref name="payloadBytes"/> still fits a frame that holds <paramref name="pendingBytes"/> in <paramref name="pendingRecords"/> records.</summary>
    public bool Fits(int pendingBytes, int pendingRecords, int payloadBytes) =>
        pendingRecords < MaxRecordsPerFrame && (long)pendingBytes + payloadBytes <= MaxFrameRawBytes;
}
