using System.Diagnostics;

namespace KafkaSync.Engine.Link;

/// <summary>
/// Chooses the zstd level between frames. When the sender spends its time waiting on the link
/// (a full window or the bandwidth cap), CPU is idle and a higher level may buy ratio for free, so
/// the level steps up; when compressing takes the time and the link waits for us, it steps down.
/// Decisions are taken over periods, one step at a time, so the level settles instead of swinging.
/// Frames grow while the link is the bottleneck (up to 8× the configured size), before any level
/// step: the columnar layout compresses larger frames better for no extra CPU, and on a link-bound
/// connection their extra latency costs nothing.
/// </summary>
/// <remarks>
/// A higher level does not always compress better: on JSON events in columnar frames, zstd's
/// levels above the fast strategies gave larger output at three times the CPU. So every step up
/// is checked: when the first period at the new level did not shrink the output per raw byte by
/// <see cref="MinGain"/>, the level goes back and stays at most there for <see cref="Hold"/>, after
/// which it may probe again (the data may have changed).
/// </remarks>
internal sealed class AdaptiveLevel
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>The least shrink of wire bytes per raw byte a step up must bring to be kept.</summary>
    private const double MinGain = 0.02;

    /// <summary>How long a step up that did not pay is not tried again.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    private readonly bool _enabled;
    private readonly int _min;
    private readonly int _max;
    private readonly int _baseFrameBytes;
    private readonly int _maxFrameBytes;
    private long _periodStart = Stopwatch.GetTimestamp();
    private TimeSpan _encoding;
    private TimeSpan _waiting;
    private long _raw;
    private long _wire;

    // The level and its ratio before the last step up, until the step is judged.
    private int _fromLevel;
    private double _fromRatio;
    private int _ceiling;
    private long _ceilingUntil;

    public AdaptiveLevel(int start, bool enabled, int min, int max, int frameBytes = 1 << 20, int maxFrameBytes = 16 << 20)
    {
        _enabled = enabled;
        _min = min;
        _max = max;
        _ceiling = max;
        Level = enabled ? Math.Clamp(start, min, max) : start;
        _baseFrameBytes = frameBytes;
        _maxFrameBytes = (int)Math.Min(maxFrameBytes / 2L, frameBytes * 8L);
        FrameBytes = frameBytes;
    }

    public int Level { get; private set; }

    /// <summary>Payload bytes at which to cut a frame.</summary>
    public int FrameBytes { get; private set; }

    /// <summary>Accounts one frame: time spent compressing it, time spent waiting for the link before sending it, and its sizes.</summary>
    /// <param name="encoding">Time spent encoding the frame.</param>
    /// <param name="waitingForLink">Time the encoder then waited for the sending stage.</param>
    /// <param name="rawBytes">Payload bytes in the frame (0: unknown, steps up are not judged).</param>
    /// <param name="wireBytes">Encoded bytes of the frame.</param>
    public void Observe(TimeSpan encoding, TimeSpan waitingForLink, long rawBytes = 0, long wireBytes = 0)
    {
        if (!_enabled)
        {
            return;
        }

        _encoding += encoding;
        _waiting += waitingForLink;
        _raw += rawBytes;
        _wire += wireBytes;
        if (Stopwatch.GetElapsedTime(_periodStart) < Period)
        {
            return;
        }

        var ratio = _raw > 0 ? (double)_wire / _raw : 0;
        if (_fromLevel != 0 && ratio > 0 && ratio > _fromRatio * (1 - MinGain))
        {
            // The step up did not pay: go back, and do not climb past there for a while.
            _ceiling = _fromLevel;
            _ceilingUntil = Stopwatch.GetTimestamp() + (long)(Hold.TotalSeconds * Stopwatch.Frequency);
            Level = _fromLevel;
            _fromLevel = 0;
            StartPeriod();
            return;
        }

        _fromLevel = 0;
        if (_ceiling < _max && Stopwatch.GetTimestamp() >= _ceilingUntil)
        {
            _ceiling = _max;
        }

        // The link is the bottleneck when we waited on it for longer than we compressed (by far:
        // climb faster); the compressor is when waiting was negligible next to compressing.
        if (_waiting > _encoding && FrameBytes < _maxFrameBytes)
        {
            // Larger frames first: they cost no CPU and compress better. A level step taken in the
            // same period would be credited with their gain and kept even when it buys nothing.
            FrameBytes = Math.Min(_maxFrameBytes, FrameBytes * 2);
        }
        else if (_waiting > _encoding)
        {
            var step = _waiting > _encoding * 3 ? 2 : 1;
            var next = Math.Min(_ceiling, Level + step);
            if (next > Level)
            {
                _fromLevel = Level;
                _fromRatio = ratio;
                Level = next;
            }
        }
        else if (_waiting < _encoding / 10 && Level > _min)
        {
            Level--;
            FrameBytes = Math.Max(_baseFrameBytes, FrameBytes / 2);
        }

        StartPeriod();
    }

    private void StartPeriod()
    {
        _encoding = TimeSpan.Zero;
        _waiting = TimeSpan.Zero;
        _raw = 0;
        _wire = 0;
        _periodStart = Stopwatch.GetTimestamp();
    }
}
