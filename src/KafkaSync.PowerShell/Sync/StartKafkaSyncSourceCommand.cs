using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Runs a source agent: copies Kafka topics into the source queue and sends it to a target agent.</para>
/// <para type="description">Runs in the foreground until Ctrl+C (a clean stop: the batch in hand becomes durable and its
/// offsets are committed), showing progress; -Verbose shows what the agent does. Writes the final status. With -AsJob it
/// runs as a job: Receive-Job gives the summary, Stop-Job stops it cleanly.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncSource")]
[OutputType(typeof(AgentStatus), typeof(AgentJob))]
public sealed class StartKafkaSyncSourceCommand : PSCmdlet, IDisposable
{
    /// <summary>The error id for bad parameters or config.</summary>
    public const string InvalidAgentOptions = nameof(InvalidAgentOptions);

    /// <summary>The error id for an agent that stopped on an error.</summary>
    public const string AgentFailed = nameof(AgentFailed);

    private readonly CancellationTokenSource _stop = new();

    /// <summary>The agent's JSON config file; parameters override its fields.</summary>
    [Parameter(Position = 0)]
    public string? ConfigPath { get; set; }

    /// <summary>The agent's name (consumer group "kafkasync-NAME" unless the config sets one).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The source cluster's brokers, host:port[,host:port…].</summary>
    [Parameter]
    public string? BootstrapServers { get; set; }

    /// <summary>Topics to copy by name.</summary>
    [Parameter]
    public string[]? Topic { get; set; }

    /// <summary>Regex of topics to copy.</summary>
    [Parameter]
    public string? Include { get; set; }

    /// <summary>Regex of topics to leave out.</summary>
    [Parameter]
    public string? Exclude { get; set; }

    /// <summary>Folder of the source queue.</summary>
    [Parameter]
    public string? QueuePath { get; set; }

    /// <summary>The target agent's host:port.</summary>
    [Parameter]
    public string? LinkTarget { get; set; }

    /// <summary>The link's pre-shared key as the credential's password (the user name is ignored).</summary>
    [Parameter]
    public PSCredential? LinkCredential { get; set; }

    /// <summary>File holding the link's pre-shared key.</summary>
    [Parameter]
    public string? LinkKeyFile { get; set; }

    /// <summary>SASL user name and password for the source cluster.</summary>
    [Parameter]
    public PSCredential? SaslCredential { get; set; }

    /// <summary>Where to start in partitions the group has no offset for.</summary>
    [Parameter]
    public StartPosition? StartFrom { get; set; }

    /// <summary>Run as a background job.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        SourceAgent agent;
        try
        {
            agent = new SourceAgent(BuildOptions());
        }
        catch (Exception ex) when (ex is OptionsException)
        {
            WriteError(new ErrorRecord(ex, InvalidAgentOptions, ErrorCategory.InvalidArgument, ConfigPath));
            return;
        }

        var name = "KafkaSync source " + agent.Status.Name;
        if (AsJob)
        {
            var job = new AgentJob(MyInvocation.Line, name, agent.Status.Name);
            var running = new SourceAgent(BuildOptions(), job.Log);
            job.Start(running.RunAsync, () => running.Status);
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }

        try
        {
            SourceAgent? running = null;
            var summary = AgentCmdletRunner.Run(
                this,
                (log, ct) => (running = new SourceAgent(BuildOptions(), log)).RunAsync(ct),
                () => running?.Status ?? agent.Status,
                name,
                _stop.Token);
            WriteObject(summary);
        }
        catch (Exception ex) when (ex is OptionsException or AgentException or IOException)
        {
            WriteError(new ErrorRecord(ex, AgentFailed, ErrorCategory.OperationStopped, ConfigPath));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private SourceAgentOptions BuildOptions()
    {
        var o = AgentParameters.Load<SourceAgentOptions>(this, ConfigPath);
        var keyGiven = LinkCredential is not null || LinkKeyFile is not null;
        return o with
        {
            Name = Name ?? o.Name,
            Kafka = AgentParameters.Kafka(o.Kafka, BootstrapServers, SaslCredential),
            Topics = o.Topics with { Names = Topic ?? o.Topics.Names, Include = Include ?? o.Topics.Include, Exclude = Exclude ?? o.Topics.Exclude },
            Queue = AgentParameters.Queue(this, o.Queue, QueuePath),
            Link = LinkTarget is null ? o.Link : (o.Link ?? new LinkSenderOptions { Target = LinkTarget }) with { Target = LinkTarget },
            LinkKey = AgentParameters.Key(LinkCredential) ?? o.LinkKey,
            LinkKeyFile = keyGiven ? AgentParameters.Resolve(this, LinkKeyFile) : o.LinkKeyFile,
            LinkKeyEnvironmentVariable = keyGiven ? null : o.LinkKeyEnvironmentVariable,
            StartFrom = StartFrom ?? o.StartFrom,
        };
    }
}
