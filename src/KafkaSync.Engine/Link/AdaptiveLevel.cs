using System.Diagnostics;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Chooses the zstd level between frames. When the sender spends its time waiting on the link
/// (a full window or the bandwidth cap), CPU is idle and a higher level buys ratio for free, so
/// the level steps up; when compressing takes the time and the link waits for us, it steps down.
/// Decisions are taken over periods, one step at a time, so the level settles instead of swinging.
/// Frames grow with the level (up to 8× the configured size): the columnar layout compresses
/// larger frames better, and on a link-bound connection their extra latency costs nothing.
/// </summary>
internal sealed class AdaptiveLevel
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    private readonly bool _enabled;
    private readonly int _min;
    private readonly int _max;
    private readonly int _baseFrameBytes;
    private readonly int _maxFrameBytes;
    private long _periodStart = Stopwatch.GetTimestamp();
    private TimeSpan _encoding;
    private TimeSpan _waiting;

    public AdaptiveLevel(int start, bool enabled, int min, int max, int frameBytes = 1 << 20, int maxFrameBytes = 16 << 20)
    {
        _enabled = enabled;
        _min = min;
        _max = max;
        Level = enabled ? Math.Clamp(start, min, max) : start;
        _baseFrameBytes = frameBytes;
        _maxFrameBytes = (int)Math.Min(maxFrameBytes / 2L, frameBytes * 8L);
        FrameBytes = frameBytes;
    }

    public int Level { get; private set; }

    /// <summary>Payload bytes at which to cut a frame.</summary>
    public int FrameBytes { get; private set; }

    /// <summary>Accounts one frame: time spent compressing it, and time spent waiting for the link before sending it.</summary>
    public void Observe(TimeSpan encoding, TimeSpan waitingForLink)
    {
        if (!_enabled)
        {
            return;
        }

        _encoding += encoding;
        _waiting += waitingForLink;
        if (Stopwatch.GetElapsedTime(_periodStart) < Period)
        {
            return;
        }

        // The link is the bottleneck when we waited on it for longer than we compressed (by far:
        // climb faster); the compressor is when waiting was negligible next to compressing.
        if (_waiting > _encoding * 3 && Level < _max)
        {
            Level = Math.Min(_max, Level + 2);
            FrameBytes = Math.Max(FrameBytes, Math.Min(_maxFrameBytes, FrameBytes * 2));
        }
        else if (_waiting > _encoding && Level < _max)
        {
            Level++;
            FrameBytes = Math.Max(FrameBytes, Math.Min(_maxFrameBytes, FrameBytes * 2));
        }
        else if (_waiting < _encoding / 10 && Level > _min)
        {
            Level--;
            FrameBytes = Math.Max(_baseFrameBytes, FrameBytes / 2);
        }

        _encoding = TimeSpan.Zero;
        _waiting = TimeSpan.Zero;
        _periodStart = Stopwatch.GetTimestamp();
    }
}
