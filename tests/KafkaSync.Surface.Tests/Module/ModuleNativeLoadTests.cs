using System.Reflection;
using KafkaSync.ModuleLoader;

namespace KafkaSync.Surface.Tests.Module;

/// <summary>
/// The assembled module's engine, loaded by the module's own load context from its dependencies
/// folder, pins the librdkafka it ships for Confluent.Kafka and for its own imports.
/// (The Pester tests do the same inside pwsh, beside another Confluent.Kafka.)
/// </summary>
public sealed class ModuleNativeLoadTests
{
    private static readonly string Dependencies = Path.Combine(RepoRoot.Find(), "out", "KafkaSync", ModuleLoadContext.DependencyFolderName);

    [Fact]
    public void Engine_in_the_module_context_runs_a_cluster_on_the_bundled_librdkafka()
    {
        var context = new ModuleLoadContext(Dependencies);
        var engine = context.LoadFromAssemblyName(new AssemblyName(ModuleLoadContext.EngineAssemblyName));
        Assert.NotSame(typeof(KafkaSync.Engine.Kafka.EmbeddedKafka).Assembly, engine);
        Assert.Equal(Dependencies, Path.GetDirectoryName(engine.Location));

        engine.GetType("KafkaSync.Engine.Kafka.KafkaClients", throwOnError: true)!.GetMethod("EnsureLoaded")!.Invoke(null, null);
        var confluent = context.LoadFromAssemblyName(new AssemblyName("Confluent.Kafka"));
        Assert.Equal(Dependencies, Path.GetDirectoryName(confluent.Location));
        var version = (string)confluent.GetType("Confluent.Kafka.Library", throwOnError: true)!.GetProperty("VersionString")!.GetValue(null)!;
        Assert.Equal("2.16.0", version);

        var embedded = engine.GetType("KafkaSync.Engine.Kafka.EmbeddedKafka", throwOnError: true)!;
        using var cluster = (IDisposable)Activator.CreateInstance(embedded, 1)!;
        Assert.StartsWith("127.0.0.1:", (string)embedded.GetProperty("BootstrapServers")!.GetValue(cluster)!, StringComparison.Ordinal);
        var mapped = File.ReadLines("/proc/self/maps").Where(l => l.Contains("rdkafka", StringComparison.Ordinal)).Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Distinct().ToList();
        Assert.Contains(mapped, path => path.StartsWith(Dependencies, StringComparison.Ordinal));
    }

    [Fact]
    public void The_cmdlets_assembly_references_nothing_the_module_context_should_own()
    {
        // Anything but the engine, PowerShell and the runtime would be resolved in PowerShell's
        // shared context, where another module's copy can win.
        var cmdlets = typeof(KafkaSync.PowerShell.AssemblyMarker).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.All(cmdlets, name => Assert.True(
            name is "KafkaSync.Engine" or "System.Management.Automation" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal),
            $"the cmdlets assembly references {name}"));
    }
}
