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

    public static CursorStore Load(string queueDirectory)
    {
        var folder = Path.Combine(queueDirectory, QueueFolder.CursorFolder);
        Directory.CreateDirectory(folder);
        return new CursorStore(folder, ReadAll(queueDirectory));
    }

    /// <summary>Reads the cursors of a queue folder without owning it.</summary>
    public static Dictionary<string, long> ReadAll(string queueDirectory)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        var folder = Path.Combine(queueDirectory, QueueFolder.CursorFolder);
        if (!Directory.Exists(folder))
        {
            return values;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            var text = File.ReadAllText(file).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                throw new QueueException($"Cursor file '{file}' does not hold a sequence number ('{text}'); fix or delete it.");
            }

            values[Path.GetFileNameWithoutExtension(file)] = seq;
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
