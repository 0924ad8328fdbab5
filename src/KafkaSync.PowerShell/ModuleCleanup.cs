using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KafkaSync.PowerShell;

/// <summary>
/// Runs when the module is removed from a session: stops the agents, links and services that
/// session started (foreground or as jobs), so none keeps running without its module.
/// </summary>
/// <remarks>
/// Here rather than in the loader's cleanup: the loader must not reference this assembly, and
/// this assembly may reference only the engine, PowerShell and the runtime.
/// </remarks>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => RunningWork.StopAll(Runspace.DefaultRunspace?.InstanceId);
}
