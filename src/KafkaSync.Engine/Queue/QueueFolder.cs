using System.Globalization;

namespace KafkaSync.Engine.Queue;

/// <summary>The files of a queue folder besides its segments, and the checks that tell a queue from any other folder.</summary>
internal static class QueueFolder
{
    public const string MetaFile = "queue.json";
    public const string LockFile = "queue.lock";
    public const string CursorFolder = "cursors";
    public const string QuarantineFolder = "quarantine";
    public const string GapsFile = "gaps.txt";
    private const string MetaText = "{ \"format\": \"kafkasync-queue\", \"version\": 1 }\n";

    /// <summary>Resolves and checks a folder that must already hold a queue (for inspection and repair).</summary>
    public static string RequireExisting(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new QueueException("No queue path was given; pass the queue's folder.");
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new QueueException($"'{full}' is a file, not a queue folder.");
        }

        if (!Directory.Exists(full))
        {
            throw new QueueException($"No queue at '{full}': the folder does not exist.");
        }

        var meta = Path.Combine(full, MetaFile);
        if (!File.Exists(meta))
        {
            throw new QueueException($"'{full}' is not a KafkaSync queue: it has no {MetaFile}.");
        }

        CheckMeta(meta);
        return full;
    }

    /// <summary>Creates the folder and its marker for a new queue, or checks an existing one.</summary>
    public static string CreateOrCheck(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new QueueException($"'{full}' is a file, not a queue folder.");
        }

        Directory.CreateDirectory(full);
        var meta = Path.Combine(full, MetaFile);
        if (File.Exists(meta))
        {
            CheckMeta(meta);
            return full;
        }

        if (Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new QueueException($"'{full}' is not empty and is not a KafkaSync queue (it has no {MetaFile}); choose an empty or new folder.");
        }

        var temp = meta + ".tmp";
        File.WriteAllText(temp, MetaText);
        File.Move(temp, meta);
        Directory.CreateDirectory(Path.Combine(full, CursorFolder));
        NativeSync.SyncDirectory(full);
        return full;
    }

    /// <summary>Seq ranges a repair accepted as lost; readers pass over them instead of reporting a hole.</summary>
    public static List<(long First, long Last)> ReadGaps(string directory)
    {
        var gaps = new List<(long, long)>();
        var file = Path.Combine(directory, GapsFile);
        if (!File.Exists(file))
        {
            return gaps;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                gaps.Add((first, last));
            }
        }

        return gaps;
    }

    /// <summary>
    /// Adds a lost range to the gaps file and makes it durable before the caller creates the segment
    /// past the gap: a reader must never find the jump without the line that allows it.
    /// </summary>
    public static void AppendGap(string directory, long first, long last)
    {
        var path = Path.Combine(directory, GapsFile);
        using (var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{first} {last}\n")));
            NativeSync.DataSync(file.SafeFileHandle, path);
        }

        NativeSync.SyncDirectory(directory);
    }

    /// <summary>The gaps as seq ranges, in seq order, touching ranges joined.</summary>
    public static List<QueueSeqRange> Merge(IEnumerable<(long First, long Last)> gaps)
    {
        var merged = new List<QueueSeqRange>();
        foreach (var (first, last) in gaps.OrderBy(g => g.First))
        {
            if (merged.Count > 0 && first <= merged[^1].Last + 1)
            {
                if (last > merged[^1].Last)
                {
                    merged[^1] = merged[^1] with { Last = last };
                }

                continue;
            }

            merged.Add(new QueueSeqRange(first, last));
        }

        return merged;
    }

    /// <summary>True when every seq from <paramref name="first"/> to <paramref name="last"/> lies in an accepted gap.</summary>
    public static bool IsAcceptedGap(IReadOnlyList<(long First, long Last)> gaps, long first, long last)
    {
        var next = first;
        foreach (var (gapFirst, gapLast) in gaps.OrderBy(g => g.First))
        {
            if (gapFirst <= next && gapLast >= next)
            {
                next = gapLast + 1;
            }
        }

        return next > last;
    }

    private static void CheckMeta(string meta)
    {
        var text = File.ReadAllText(meta);
        if (!text.Contains("\"kafkasync-queue\"", StringComparison.Ordinal))
        {
            throw new QueueException($"'{meta}' is not a KafkaSync queue marker; the folder holds something else.");
        }
    }
}
