using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaSync.Engine.Native;

/// <summary>
/// Pins the librdkafka that ships with KafkaSync (from the librdkafka.redist package) for
/// Confluent.Kafka and for our own <c>rd_kafka_mock_*</c> imports.
/// </summary>
/// <remarks>
/// Left alone, the runtime binds whatever <c>librdkafka</c> the system search finds first: on a
/// Debian host with <c>librdkafka-dev</c> that is 2.0.2, and Confluent.Kafka 2.16 then fails at
/// the first Consume with EntryPointNotFoundException; inside pwsh nothing is found at all, since
/// pwsh probes only <c>&lt;dll dir&gt;/&lt;os&gt;-&lt;arch&gt;/</c>. So every import of librdkafka
/// from either assembly is answered with the bundled file at
/// <c>&lt;engine dir&gt;/runtimes/&lt;rid&gt;/native/</c>, loaded by full path.
/// </remarks>
public static class NativeLibraries
{
    /// <summary>The name our own imports use for librdkafka.</summary>
    public const string Rdkafka = "librdkafka";

    /// <summary>The platforms whose librdkafka the module ships, by runtime identifier.</summary>
    public static IReadOnlyList<string> SupportedPlatforms { get; } = ["linux-x64", "linux-arm64", "win-x64", "osx-x64", "osx-arm64"];

    private static readonly object Gate = new();
    private static readonly HashSet<Assembly> Registered = [];
    private static IntPtr _handle;

    /// <summary>
    /// Installs the resolver on the engine assembly and on Confluent.Kafka's. Idempotent and
    /// cheap; every entry point into native code calls it first.
    /// </summary>
    public static void EnsureRegistered()
    {
        Register(typeof(NativeLibraries).Assembly);
        Register(typeof(Confluent.Kafka.Library).Assembly);
    }

    /// <summary>The full path of the librdkafka this process uses on this platform.</summary>
    /// <exception cref="PlatformNotSupportedException">KafkaSync ships no librdkafka for this platform.</exception>
    public static string RdkafkaPath
    {
        get
        {
            var platform = CurrentPlatform();
            var baseDirectory = Path.GetDirectoryName(typeof(NativeLibraries).Assembly.Location);
            if (string.IsNullOrEmpty(baseDirectory))
            {
                baseDirectory = AppContext.BaseDirectory;
            }

            return Path.Combine(baseDirectory, "runtimes", platform, "native", RdkafkaFile(platform));
        }
    }

    /// <summary>The file name of the bundled librdkafka for <paramref name="platform"/> (a runtime identifier).</summary>
    /// <exception cref="PlatformNotSupportedException">KafkaSync ships no librdkafka for <paramref name="platform"/>.</exception>
    public static string RdkafkaFile(string platform) => platform switch
    {
        // The plain linux-x64 build needs libsasl2.so.3, which Debian 12 lacks; this one needs only glibc.
        "linux-x64" => "centos8-librdkafka.so",
        "linux-arm64" => "librdkafka.so",
        "win-x64" => "librdkafka.dll",
        "osx-x64" or "osx-arm64" => "librdkafka.dylib",
        _ => throw new PlatformNotSupportedException(
            $"KafkaSync ships librdkafka for {string.Join(", ", SupportedPlatforms)}; this platform ({platform}) has none, " +
            "so Kafka cannot be used here."),
    };

    /// <summary>This process's platform as a runtime identifier, e.g. <c>linux-x64</c>.</summary>
    public static string CurrentPlatform()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription;
        if (os == "linux" && IsMusl())
        {
            os = "linux-musl";
        }

        return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase);

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
        // Confluent.Kafka asks under several names (librdkafka, centos8-librdkafka.so, ...): all mean this one.
        if (!name.Contains("rdkafka", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        lock (Gate)
        {
            if (_handle == IntPtr.Zero)
            {
                var path = RdkafkaPath;
                if (!File.Exists(path))
                {
                    throw new DllNotFoundException(
                        $"KafkaSync's librdkafka for {CurrentPlatform()} is missing: expected {path}. Reinstall the module or rebuild it.");
                }

                _handle = NativeLibrary.Load(path);
            }

            return _handle;
        }
    }
}
