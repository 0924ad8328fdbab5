using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Runs a target agent: receives the link into the target queue and produces it into the target cluster.</para>
/// <para type="description">Runs in the foreground until Ctrl+C (a clean stop: records in flight are delivered first), showing
/// progress; -Verbose shows what the agent does. Writes the final status. With -AsJob it runs as a job.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncTarget")]
[OutputType(typeof(AgentStatus), typeof(AgentJob))]
public sealed class StartKafkaSyncTargetCommand : PSCmdlet, IDisposable
{
    /// <summary>The error id for bad parameters or config.</summary>
    public const string InvalidAgentOptions = nameof(InvalidAgentOptions);

    /// <summary>The error id for an agent that stopped on an error.</summary>
    public const string AgentFailed = nameof(AgentFailed);

    private readonly CancellationTokenSource _stop = new();

    /// <summary>The agent's JSON config file; parameters override its fields.</summary>
    [Parameter(Position = 0)]
    public string? ConfigPath { get; set; }

    /// <summary>The agent's name (transactional id "kafkasync-NAME" in exactly-once mode).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The target cluster's brokers, host:port[,host:port…].</summary>
    [Parameter]
    public string? BootstrapServers { get; set; }

    /// <summary>Folder of the target queue.</summary>
    [Parameter]
    public string? QueuePath { get; set; }

    /// <summary>host:port the link listens on.</summary>
    [Parameter]
    public string? Listen { get; set; }

    /// <summary>The link's pre-shared key as the credential's password (the user name is ignored).</summary>
    [Parameter]
    public PSCredential? LinkCredential { get; set; }

    /// <summary>File holding the link's pre-shared key.</summary>
    [Parameter]
    public string? LinkKeyFile { get; set; }

    /// <summary>SASL user name and password for the target cluster.</summary>
    [Parameter]
    public PSCredential? SaslCredential { get; set; }

    /// <summary>Put in front of every source topic name, e.g. "dc1.".</summary>
    [Parameter]
    public string? TopicPrefix { get; set; }

    /// <summary>What to do with a record whose partition the target topic lacks.</summary>
    [Parameter]
    public PartitionMismatch? PartitionMismatch { get; set; }

    /// <summary>Add kafkasync.source.* provenance headers.</summary>
    [Parameter]
    public SwitchParameter ProvenanceHeaders { get; set; }

    /// <summary>Produce in transactions that also commit the produced seq (readers use read_committed).</summary>
    [Parameter]
    public SwitchParameter ExactlyOnce { get; set; }

    /// <summary>Run as a background job.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TargetAgent agent;
        try
        {
            agent = new TargetAgent(BuildOptions());
        }
        catch (Exception ex) when (ex is OptionsException)
        {
            WriteError(new ErrorRecord(ex, InvalidAgentOptions, ErrorCategory.InvalidArgument, ConfigPath));
            return;
        }

        var name = "KafkaSync target " + agent.Status.Name;
        if (AsJob)
        {
            var job = new AgentJob(MyInvocation.Line, name, agent.Status.Name);
            var running = new TargetAgent(BuildOptions(), job.Log);
            job.Start(running.RunAsync, () => running.Status);
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }

        try
        {
            TargetAgent? running = null;
            var summary = AgentCmdletRunner.Run(
                this,
                (log, ct) => (running = new TargetAgent(BuildOptions(), log)).RunAsync(ct),
                () => running?.Status ?? agent.Status,
                name,
                _stop.Token);
            WriteObject(summary);
        }
        catch (Exception ex) when (ex is OptionsException or AgentException or IOException or LinkException)
        {
            WriteError(new ErrorRecord(ex, AgentFailed, ErrorCategory.OperationStopped, ConfigPath));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private TargetAgentOptions BuildOptions()
    {
        var o = AgentParameters.Load<TargetAgentOptions>(this, ConfigPath);
        var keyGiven = LinkCredential is not null || LinkKeyFile is not null;
        return o with
        {
            Name = Name ?? o.Name,
            Kafka = AgentParameters.Kafka(o.Kafka, BootstrapServers, SaslCredential),
            Queue = AgentParameters.Queue(this, o.Queue, QueuePath),
            Link = Listen is null ? o.Link : (o.Link ?? new LinkReceiverOptions { Listen = Listen }) with { Listen = Listen },
            LinkKey = AgentParameters.Key(LinkCredential) ?? o.LinkKey,
            LinkKeyFile = keyGiven ? AgentParameters.Resolve(this, LinkKeyFile) : o.LinkKeyFile,
            LinkKeyEnvironmentVariable = keyGiven ? null : o.LinkKeyEnvironmentVariable,
            Topics = TopicPrefix is null ? o.Topics : o.Topics with { Prefix = TopicPrefix },
            PartitionMismatch = PartitionMismatch ?? o.PartitionMismatch,
            ProvenanceHeaders = ProvenanceHeaders.IsPresent || o.ProvenanceHeaders,
            ExactlyOnce = ExactlyOnce.IsPresent || o.ExactlyOnce,
        };
    }
}
