using System.Management.Automation;
using System.Reflection;

namespace KafkaSync.ModuleLoader;

/// <summary>
/// Lets scripts name the engine's types (<c>[KafkaSync.Engine.Queue.QueueInfo]</c>, <c>-is</c>,
/// <c>Should -BeOfType</c>) although the engine lives outside PowerShell's default load context,
/// where PowerShell's type name resolution looks.
/// </summary>
/// <remarks>
/// Each public engine type is registered as a type accelerator under its full name, and removed
/// again when the module is removed. PowerShell keeps its accelerator table in an internal class,
/// reached here by reflection; if a later PowerShell moves it, the module still works and only
/// these names stop resolving.
/// </remarks>
internal static class EngineTypeNames
{
    private static readonly Type? Accelerators =
        typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    private static readonly List<string> Added = [];

    public static void Register(Assembly engine)
    {
        var add = Accelerators?.GetMethod("Add", [typeof(string), typeof(Type)]);
        if (add is null)
        {
            return;
        }

        lock (Added)
        {
            foreach (var type in engine.GetExportedTypes())
            {
                if (type.FullName is { } name && !type.IsGenericTypeDefinition && !Added.Contains(name))
                {
                    add.Invoke(null, [name, type]);
                    Added.Add(name);
                }
            }
        }
    }

    public static void Unregister()
    {
        var remove = Accelerators?.GetMethod("Remove", [typeof(string)]);
        if (remove is null)
        {
            return;
        }

        lock (Added)
        {
            foreach (var name in Added)
            {
                remove.Invoke(null, [name]);
            }

            Added.Clear();
        }
    }
}
