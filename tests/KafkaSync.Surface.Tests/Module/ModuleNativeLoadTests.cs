using System.Reflection;
using System.Runtime.Loader;

namespace KafkaSync.Surface.Tests.Module;

/// <summary>
/// The module binds the system librdkafka for itself and for Confluent.Kafka wherever it is
/// loaded from: here its assemblies are loaded from the module's own folder into a separate load
/// context, as a host that isolates modules does, and both native paths are exercised.
/// </summary>
public sealed class ModuleNativeLoadTests
{
    [Fact]
    public void Engine_loaded_from_the_module_folder_binds_librdkafka_for_itself_and_for_Confluent()
    {
        var moduleAssembly = typeof(KafkaSync.PowerShell.AssemblyMarker).Assembly.Location;
        var configuration = moduleAssembly.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
        var folder = Path.Combine(RepoRoot.Find(), "src", "KafkaSync.PowerShell", "bin", configuration, "net8.0");
        var context = new ModuleFolderContext(folder);
        var engine = context.LoadFromAssemblyPath(Path.Combine(folder, "KafkaSync.Engine.dll"));
        Assert.NotSame(typeof(KafkaSync.Engine.Kafka.EmbeddedKafka).Assembly, engine);

        // Confluent.Kafka's own loader, inside the module's context.
        engine.GetType("KafkaSync.Engine.Kafka.KafkaClients", throwOnError: true)!.GetMethod("EnsureLoaded")!.Invoke(null, null);
        var confluent = context.LoadFromAssemblyName(new AssemblyName("Confluent.Kafka"));
        Assert.Equal(folder, Path.GetDirectoryName(confluent.Location));
        var version = (string)confluent.GetType("Confluent.Kafka.Library", throwOnError: true)!.GetProperty("VersionString")!.GetValue(null)!;
        Assert.StartsWith("2.", version, StringComparison.Ordinal);

        // Our own P/Invokes, inside the module's context: a real cluster comes up.
        var embedded = engine.GetType("KafkaSync.Engine.Kafka.EmbeddedKafka", throwOnError: true)!;
        using var cluster = (IDisposable)Activator.CreateInstance(embedded, 1)!;
        var bootstrap = (string)embedded.GetProperty("BootstrapServers")!.GetValue(cluster)!;
        Assert.StartsWith("127.0.0.1:", bootstrap, StringComparison.Ordinal);
    }

    private sealed class ModuleFolderContext(string folder) : AssemblyLoadContext("KafkaSync module", isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(path) && assemblyName.Name != "System.Management.Automation" ? LoadFromAssemblyPath(path) : null;
        }
    }
}
