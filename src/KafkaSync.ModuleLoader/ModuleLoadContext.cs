using System.Reflection;
using System.Runtime.Loader;

namespace KafkaSync.ModuleLoader;

/// <summary>
/// The load context that holds the engine and everything it depends on (Confluent.Kafka,
/// ZstdSharp, Microsoft.Extensions.*), loaded from the module's <c>dependencies</c> folder.
/// </summary>
/// <remarks>
/// PowerShell loads every binary module into one shared context, where the first copy of an
/// assembly wins: another module that loaded Confluent.Kafka first would hand us its version
/// (and its native library binding), and ours would be handed to it. Here our copies are
/// private: whatever else the session has loaded, the engine runs on the assemblies it was
/// built and tested with. Only assemblies the folder lacks (the .NET runtime's own) fall back
/// to the default context.
/// </remarks>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    /// <summary>The name of the folder beside the module assembly that holds the engine's assemblies.</summary>
    public const string DependencyFolderName = "dependencies";

    /// <summary>The engine's assembly name: the one assembly the cmdlets reach into this context for.</summary>
    public const string EngineAssemblyName = "KafkaSync.Engine";

    private readonly string _folder;

    /// <summary>Creates a context over <paramref name="folder"/>.</summary>
    public ModuleLoadContext(string folder)
        : base("KafkaSync", isCollectible: false)
    {
        _folder = folder;
    }

    /// <summary>The folder this context loads from.</summary>
    public string Folder => _folder;

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_folder, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
