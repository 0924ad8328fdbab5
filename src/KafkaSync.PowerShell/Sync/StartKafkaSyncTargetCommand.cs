using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Runs a target agent: receives the link into the target queue and produces it into the target cluster.</para>
/// <para type="description">Runs in the foreground until Ctrl+C (a clean stop: records in flight are delivered first), showing
/// progress; -Verbose shows what the agent does. Writes the final status. With -AsJob it runs as a job.</para>
/// <para type="description">Settings come from the JSON file given by -ConfigPath (see examples/target.json in the module
/// folder); parameters override its fields. Start the target before the source; the source retries until it can connect.</para>
/// </summary>
/// <example title="Run from a config file in the foreground">
/// <code>$key = Get-Credential -UserName link -Message 'link key'
/// Start-KafkaSyncTarget ./target.json -LinkCredential $key -Verbose</code>
/// <para>The password typed is the link's pre-shared key, the same as the source agent's. Runs until Ctrl+C, then writes its final status.</para>
/// </example>
/// <example title="Rename topics and produce exactly once, as a job">
/// <code>Start-KafkaSyncTarget -Name dc1-to-dc2 -BootstrapServers kafka1.dc2:9092 -QueuePath /var/lib/kafkasync/target -Listen 0.0.0.0:7070 -LinkKeyFile /etc/kafkasync/link.key -TopicPrefix dc1. -ExactlyOnce -ProvenanceHeaders -AsJob</code>
/// <para>Writes source topic orders as dc1.orders, in transactions that also commit the produced seq, with
/// kafkasync.source.* headers on every record. Readers of the target topics should use isolation level read_committed.</para>
/// </example>
/// <example title="Watch the lag until the target has caught up">
/// <code>Start-KafkaSyncTarget ./target.json -LinkKeyFile /etc/kafkasync/link.key -AsJob
/// Get-KafkaSyncStatus /var/lib/kafkasync/target | Select-Object Name, State, LinkState, LagRecords, LagSeconds</code>
/// <para>Starts the agent as a job and reads its status from the snapshot beside its queue.</para>
/// </example>
/// <para type="link">Start-KafkaSyncSource</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncTarget")]
[OutputType(typeof(AgentStatus), typeof(AgentJob))]
public sealed class StartKafkaSyncTargetCommand : AgentCmdletBase
{
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

    /// <summary>SASL user name and password for the target cluster.</summary>
    [Parameter]
    [Credential]
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

    private protected override string Kind => "target";

    private protected override AgentKind RegistryKind => AgentKind.Target;

    private protected override ISyncAgent CreateAgent(IProgress<string>? log) => new TargetAgent(BuildOptions(), log);



    private protected override bool IsAgentFailure(Exception ex) => base.IsAgentFailure(ex) || ex is LinkException;

    private TargetAgentOptions BuildOptions()
    {
        var o = AgentParameters.Load<TargetAgentOptions>(this, ConfigPath);
        return o with
        {
            Name = Name ?? o.Name,
            Kafka = AgentParameters.Kafka(o.Kafka, BootstrapServers, SaslCredential),
            Queue = AgentParameters.Queue(this, o.Queue, QueuePath),
            Link = Listen is null ? o.Link : (o.Link ?? new LinkReceiverOptions { Listen = Listen }) with { Listen = Listen },
            LinkKey = LinkKeyOr(o.LinkKey),
            LinkKeyFile = LinkKeyFileOr(o.LinkKeyFile),
            LinkKeyEnvironmentVariable = LinkKeyEnvironmentVariableOr(o.LinkKeyEnvironmentVariable),
            Topics = TopicPrefix is null ? o.Topics : o.Topics with { Prefix = TopicPrefix },
            PartitionMismatch = PartitionMismatch ?? o.PartitionMismatch,
            ProvenanceHeaders = ProvenanceHeaders.IsPresent || o.ProvenanceHeaders,
            ExactlyOnce = ExactlyOnce.IsPresent || o.ExactlyOnce,
            Metrics = MetricsOr(o.Metrics),
        };
    }
}
