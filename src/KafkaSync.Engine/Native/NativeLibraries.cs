using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaSync.Engine.Native;

/// <summary>
/// Binds the system's native libraries (Debian's librdkafka and libzstd) for our own
/// P/Invokes and for Confluent.Kafka, whose NuGet package ships no native binaries here.
/// </summary>
/// <remarks>
/// <c>DllImport("librdkafka")</c> only finds <c>librdkafka.so</c>, which exists only with the
/// -dev package; the runtime package has <c>librdkafka.so.1</c>. The resolver maps the short
/// names to the versioned sonames, so the module works with the runtime packages alone, in the
/// host and when pwsh imports the module from its own folder.
/// </remarks>
public static class NativeLibraries
{
    /// <summary>The name our own imports use for librdkafka.</summary>
    public const string Rdkafka = "librdkafka";

    /// <summary>The name our own imports use for libzstd.</summary>
    public const string Zstd = "libzstd";

    private static readonly object Gate = new();
    private static readonly HashSet<Assembly> Registered = [];

    private static readonly Dictionary<string, string[]> Candidates = new(StringComparer.Ordinal)
    {
        [Rdkafka] = ["librdkafka.so.1", "librdkafka.so", "librdkafka.1.dylib", "librdkafka.dylib", "librdkafka.dll"],
        [Zstd] = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll"],
    };

    /// <summary>
    /// Installs the resolver on the engine assembly and on Confluent.Kafka's. Idempotent and
    /// cheap; every entry point into native code calls it first.
    /// </summary>
    public static void EnsureRegistered()
    {
        Register(typeof(NativeLibraries).Assembly);
        Register(typeof(Confluent.Kafka.Library).Assembly);
    }

    private static void Register(Assembly assembly)
    {
        lock (Gate)
        {
            if (!Registered.Add(assembly))
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var key = name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        if (!Candidates.TryGetValue(key, out var candidates))
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            $"The native library '{key}' was not found (tried {string.Join(", ", candidates)}). " +
            "On Debian or Ubuntu install it with: apt-get install librdkafka1 libzstd1");
    }
}
