using System.Globalization;
using System.Text.RegularExpressions;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// Named cursors, one small text file each, replaced atomically: write a temp file, fsync it,
/// rename it over the old one, fsync the folder. A crash leaves the old value or the new one.
/// </summary>
internal sealed partial class CursorStore
{
    private const string Extension = ".cursor";
    private readonly string _folder;
    private readonly Dictionary<string, long> _values;
    private readonly object _gate = new();

    private CursorStore(string folder, Dictionary<string, long> values)
    {
        _folder = folder;
        _values = values;
    }

    /// <summary>
    /// Loads the cursors for the owner. A cursor file that holds no seq is rebuilt at
    /// <paramref name="rebuildAt"/> (the seq before the oldest retained one): its reader then starts
    /// again from the oldest record, and the stage after it drops what it already holds by seq.
    /// </summary>
    public static CursorStore Load(string queueDirectory, long rebuildAt, List<string> notes)
    {
        var folder = Path.Combine(queueDirectory, QueueFolder.CursorFolder);
        Directory.CreateDirectory(folder);
        var store = new CursorStore(folder, ReadAll(queueDirectory, out var unreadable));
        foreach (var (name, problem) in unreadable)
        {
            store.Set(name, rebuildAt);
            notes.Add($"cursor '{name}' was unreadable ({problem}); rebuilt at seq {rebuildAt}, so its reader starts again from the oldest retained record (seq {rebuildAt + 1})");
        }

        return store;
    }

    /// <summary>Reads the cursors of a queue folder without owning it; unreadable files are listed with the reason, not thrown.</summary>
    public static Dictionary<string, long> ReadAll(string queueDirectory, out List<(string Name, string Problem)> unreadable)
    {
        unreadable = [];
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var folder = Path.Combine(queueDirectory, QueueFolder.CursorFolder);
        if (!Directory.Exists(folder))
        {
            return values;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!NameRegex().IsMatch(name))
            {
                continue; // not a file this store wrote
            }

            var text = File.ReadAllText(file).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                unreadable.Add((name, text.Length == 0 ? "the file is empty" : "the file does not hold a sequence number"));
                continue;
            }

            values[name] = seq;
        }

        return values;
    }

    public IReadOnlyDictionary<string, long> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_values, StringComparer.Ordinal);
        }
    }

    public long Get(string name)
    {
        CheckName(name);
        lock (_gate)
        {
            return _values.GetValueOrDefault(name);
        }
    }

    /// <summary>The lowest cursor, or null when there is none.</summary>
    public long? Min()
    {
        lock (_gate)
        {
            return _values.Count == 0 ? null : _values.Values.Min();
        }
    }

    public void Set(string name, long seq)
    {
        CheckName(name);
        lock (_gate)
        {
            if (_values.TryGetValue(name, out var old) && old == seq)
            {
                return;
            }

            var path = Path.Combine(_folder, name + Extension);
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture) + "\n");
                file.Write(bytes);
                NativeSync.DataSync(file.SafeFileHandle, temp);
            }

            File.Move(temp, path, overwrite: true);
            NativeSync.SyncDirectory(_folder);
            _values[name] = seq;
        }
    }

    public static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NameRegex().IsMatch(name))
        {
            throw new ArgumentException($"Cursor name '{name}' is not allowed; use 1 to 64 letters, digits, '-', '_' or '.'.", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NameRegex();
}
