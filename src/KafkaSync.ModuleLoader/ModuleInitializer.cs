using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KafkaSync.ModuleLoader;

/// <summary>
/// Runs when the manifest imports this nested module, before the cmdlets assembly: routes the
/// cmdlets' references to the engine into the module's own <see cref="ModuleLoadContext"/>.
/// </summary>
/// <remarks>
/// The cmdlets assembly lives in PowerShell's default context and references the engine by
/// name. The engine is kept out of the module's root folder, so the default context cannot
/// find it by itself and asks <see cref="AssemblyLoadContext.Resolving"/>, where this handler
/// answers with the private copy. It must be in place before PowerShell lists the cmdlets
/// assembly's types (which loads engine types their fields hold), hence a module of its own.
/// Only the engine's name is answered: a request from another module for Confluent.Kafka never
/// reaches our copy.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? _context;

    /// <summary>The module's load context, created on first import and kept for the process's life.</summary>
    public static ModuleLoadContext Context
    {
        get
        {
            lock (Gate)
            {
                if (_context is null)
                {
                    var root = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
                    _context = new ModuleLoadContext(Path.Combine(root, ModuleLoadContext.DependencyFolderName));
                }

                return _context;
            }
        }
    }

    /// <inheritdoc/>
    public void OnImport()
    {
        // Removing and importing again runs this twice in one process: keep one handler.
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
        EngineTypeNames.Register(Context.LoadFromAssemblyName(new AssemblyName(ModuleLoadContext.EngineAssemblyName)));
    }

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => EngineTypeNames.Unregister();

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        string.Equals(name.Name, ModuleLoadContext.EngineAssemblyName, StringComparison.Ordinal)
            ? Context.LoadFromAssemblyName(name)
            : null;
}
