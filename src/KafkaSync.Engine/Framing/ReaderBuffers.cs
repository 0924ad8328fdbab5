namespace KafkaSync.Engine.Framing;

/// <summary>Per-decoder scratch arrays for <see cref="ColumnarReader"/>, grown on demand and reused.</summary>
internal sealed class ReaderBuffers
{
    private int[] _order = new int[1024];
    private int[] _groups = new int[1024];
    private int[] _counts = new int[64];
    private long[] _lastOffsets = new long[64];
    private int[] _templateStart = new int[64];
    private int[] _firstMarker = new int[64];
    private int[] _markers = new int[1024];
    private int[] _fieldLengths = new int[8192];
    private int[] _nextLength = new int[1024];
    private int[] _nextByte = new int[1024];

    public int[] GroupOf => _groups;

    public Span<int> Order(int count) => Grow(ref _order, count).AsSpan(0, count);

    public Span<int> Groups(int count) => Grow(ref _groups, count).AsSpan(0, count);

    public Span<int> Counts(int count)
    {
        var span = Grow(ref _counts, count).AsSpan(0, count);
        span.Clear();
        return span;
    }

    public long[] LastOffsets(int count)
    {
        var array = Grow(ref _lastOffsets, count);
        Array.Clear(array, 0, count);
        return array;
    }

    /// <summary>Where each template starts and ends in the template column.</summary>
    public Span<int> TemplateStarts(int count) => Grow(ref _templateStart, count).AsSpan(0, count);

    /// <summary>Each template's first marker in <see cref="Markers"/>.</summary>
    public Span<int> FirstMarkers(int count) => Grow(ref _firstMarker, count).AsSpan(0, count);

    /// <summary>Every marker's place in its template.</summary>
    public Span<int> Markers(int count) => Grow(ref _markers, count).AsSpan(0, count);

    /// <summary>Every cut field's length.</summary>
    public Span<int> FieldLengths(int count) => Grow(ref _fieldLengths, count).AsSpan(0, count);

    /// <summary>Per marker, the index of its next field's length.</summary>
    public Span<int> NextLengths(int count) => Grow(ref _nextLength, count).AsSpan(0, count);

    /// <summary>Per marker, the offset of its next field's bytes.</summary>
    public Span<int> NextBytes(int count) => Grow(ref _nextByte, count).AsSpan(0, count);

    private static T[] Grow<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            array = new T[Math.Max(count, array.Length * 2)];
        }

        return array;
    }
}
