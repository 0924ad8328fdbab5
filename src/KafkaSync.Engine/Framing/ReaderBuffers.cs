namespace KafkaSync.Engine.Framing;

/// <summary>Per-decoder scratch arrays for <see cref="ColumnarReader"/>, grown on demand and reused.</summary>
internal sealed class ReaderBuffers
{
    private int[] _order = new int[1024];
    private int[] _groups = new int[1024];
    private int[] _counts = new int[64];
    private long[] _lastOffsets = new long[64];

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

    private static T[] Grow<T>(ref T[] array, int count)
    {
        if (array.Length < count)
        {
            array = new T[Math.Max(count, array.Length * 2)];
        }

        return array;
    }
}
