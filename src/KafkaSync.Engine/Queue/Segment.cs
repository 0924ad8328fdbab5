using System.Globalization;

namespace KafkaSync.Engine.Queue;

/// <summary>One segment file: named by its first seq, with lengths the owner tracks as it appends.</summary>
internal sealed class Segment(string directory, long firstSeq)
{
    public const string Extension = ".seg";

    public long FirstSeq { get; } = firstSeq;

    public string Name { get; } = NameFor(firstSeq);

    public string Path { get; } = System.IO.Path.Combine(directory, NameFor(firstSeq));

    public string IndexPath => System.IO.Path.ChangeExtension(Path, SparseIndex.Extension);

    /// <summary>Bytes appended, including those still in the write buffer.</summary>
    public long Length { get; set; }

    /// <summary>Bytes readers may read: written, and synced as the policy asks.</summary>
    public long DurableLength { get; set; }

    /// <summary>The last seq appended to this segment, or FirstSeq - 1 when empty.</summary>
    public long LastSeq { get; set; } = firstSeq - 1;

    public SparseIndex? Index { get; set; }

    public static string NameFor(long firstSeq) => firstSeq.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The segment files of a queue folder, oldest first.</summary>
    public static List<Segment> List(string directory)
    {
        var segments = new List<Segment>();
        foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension))
        {
            var stem = System.IO.Path.GetFileNameWithoutExtension(file);
            if (stem.Length == 20 && long.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var first) && first > 0)
            {
                var length = new FileInfo(file).Length;
                segments.Add(new Segment(directory, first) { Length = length, DurableLength = length });
            }
        }

        segments.Sort((a, b) => a.FirstSeq.CompareTo(b.FirstSeq));
        return segments;
    }

    /// <summary>The index of the segment holding <paramref name="seq"/>: the last one whose first seq is not above it.</summary>
    public static int Find(List<Segment> segments, long seq)
    {
        int lo = 0, hi = segments.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (segments[mid].FirstSeq <= seq)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }
}
