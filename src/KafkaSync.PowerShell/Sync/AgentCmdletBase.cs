using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// What the source and target agent cmdlets share: the config file, link key and -AsJob parameters,
/// and the run itself — as a job, or in the foreground with progress until Ctrl+C.
/// </summary>
/// <remarks>
/// Not generic over the engine's agent types: PowerShell lists the module's exported types when it
/// imports it, before the engine can be resolved, so no exported type may derive from an engine type.
/// </remarks>
public abstract class AgentCmdletBase : StoppableCmdlet
{
    /// <summary>The error id for bad parameters or config.</summary>
    public const string InvalidAgentOptions = nameof(InvalidAgentOptions);

    /// <summary>The error id for an agent that stopped on an error.</summary>
    public const string AgentFailed = nameof(AgentFailed);

    /// <summary>The agent's JSON config file; parameters override its fields.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string? ConfigPath { get; set; }

    /// <summary>The link's pre-shared key as the credential's password (the user name is ignored).</summary>
    [Parameter]
    [Credential]
    public PSCredential? LinkCredential { get; set; }

    /// <summary>File holding the link's pre-shared key.</summary>
    [Parameter]
    public string? LinkKeyFile { get; set; }

    /// <summary>host:port of the Prometheus /metrics endpoint (e.g. 0.0.0.0:9464; port 0 picks a free one); overrides metrics.listen.</summary>
    [Parameter]
    public string? MetricsListen { get; set; }

    /// <summary>Run as a background job.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>The agent's kind in job and progress names: "source" or "target".</summary>
    private protected abstract string Kind { get; }

    /// <summary>The agent's kind in the registry of running agents.</summary>
    private protected abstract AgentKind RegistryKind { get; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        ISyncAgent agent;
        try
        {
            agent = CreateAgent(null);
            agent.CheckLinkKey();
        }
        catch (Exception ex) when (ex is OptionsException)
        {
            WriteError(new ErrorRecord(ex, InvalidAgentOptions, ErrorCategory.InvalidArgument, ConfigPath));
            return;
        }

        var name = $"KafkaSync {Kind} " + agent.Status.Name;
        if (AsJob)
        {
            var job = new AgentJob(MyInvocation.Line, name, agent.Status.Name);
            var running = CreateAgent(job.Log);
            job.Start(
                async ct => await running.RunAsync(ct),
                () => AgentCmdletRunner.Describe(running.Status),
                ex => AgentErrors.Record(ex, ConfigPath),
                Register(agent));
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }

        try
        {
            // Stop-KafkaSyncAgent from another session stops the agent as Ctrl+C does.
            using var registration = Register(agent);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken, registration.StopRequested);
            ISyncAgent? running = null;
            var summary = AgentCmdletRunner.Run(
                this,
                (log, ct) => (running = CreateAgent(log)).RunAsync(ct),
                () => (running ?? agent).Status,
                name,
                stop.Token);
            PipelineWrites.WriteSummary(this, summary);
        }
        catch (Exception ex) when (IsAgentFailure(ex))
        {
            WriteError(AgentErrors.Record(ex, ConfigPath));
        }
    }

    private AgentRegistration Register(ISyncAgent agent) => Register(RegistryKind, agent.Status.Name, agent.Status.QueuePath);

    /// <summary>Builds the agent from the config file and parameters; <paramref name="log"/> gets its messages.</summary>
    private protected abstract ISyncAgent CreateAgent(IProgress<string>? log);

    /// <summary>Whether an exception from the run is the agent stopping on an error (written as <see cref="AgentFailed"/>).</summary>
    private protected virtual bool IsAgentFailure(Exception ex) => ex is OptionsException or AgentException or IOException;

    /// <summary>The link key given by -LinkCredential, else the configured one.</summary>
    private protected LinkKey? LinkKeyOr(LinkKey? configured) => AgentParameters.Key(LinkCredential) ?? configured;

    /// <summary>-LinkKeyFile when a key parameter is given (it then replaces the config's key sources), else the configured file.</summary>
    private protected string? LinkKeyFileOr(string? configured) => LinkKeyGiven ? ResolvePath(LinkKeyFile) : configured;

    /// <summary>The configured key environment variable, unless a key parameter replaces it.</summary>
    private protected string? LinkKeyEnvironmentVariableOr(string? configured) => LinkKeyGiven ? null : configured;

    /// <summary>The configured metrics section with -MetricsListen over it.</summary>
    private protected KafkaSync.Engine.Metrics.MetricsOptions MetricsOr(KafkaSync.Engine.Metrics.MetricsOptions configured) =>
        MetricsListen is null ? configured : configured with { Listen = MetricsListen };

    private bool LinkKeyGiven => LinkCredential is not null || LinkKeyFile is not null;
}
