using System.Management.Automation;
using KafkaSync.PowerShell.Completion;
using KafkaSync.PowerShell.Agents;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// <para type="synopsis">Runs a source agent: copies Kafka topics into the source queue and sends it to a target agent.</para>
/// <para type="description">Runs in the foreground until Ctrl+C (a clean stop: the batch in hand becomes durable and its
/// offsets are committed), showing progress; -Verbose shows what the agent does. Writes the final status. With -AsJob it
/// runs as a job: Receive-Job gives the summary, Stop-Job stops it cleanly.</para>
/// <para type="description">Settings come from the JSON file given by -ConfigPath (see examples/source.json in the module
/// folder); parameters override its fields. The agent keeps status.json beside its queue, which Get-KafkaSyncStatus reads
/// from any session.</para>
/// </summary>
/// <example title="Run from a config file in the foreground">
/// <code>$key = Get-Credential -UserName link -Message 'link key'
/// Start-KafkaSyncSource ./source.json -LinkCredential $key -Verbose</code>
/// <para>The password typed is the link's pre-shared key. The agent runs until Ctrl+C, then writes its final status.</para>
/// </example>
/// <example title="Run as a job">
/// <code>$job = Start-KafkaSyncSource ./source.json -LinkKeyFile /etc/kafkasync/link.key -AsJob
/// Get-KafkaSyncStatus /var/lib/kafkasync/source
/// Stop-Job $job; Receive-Job $job</code>
/// <para>Starts the agent as a job, reads its status while it runs, then stops it cleanly and receives its summary.</para>
/// </example>
/// <example title="Run without a config file">
/// <code>Start-KafkaSyncSource -Name dc1-to-dc2 -BootstrapServers kafka1.dc1:9092,kafka2.dc1:9092 -Topic orders, payments -QueuePath /var/lib/kafkasync/source -LinkTarget sync.dc2.example.net:7070 -LinkKeyFile /etc/kafkasync/link.key -StartFrom Latest</code>
/// <para>Copies the topics orders and payments, from the newest records on for partitions the consumer group kafkasync-dc1-to-dc2 has no offset for.</para>
/// </example>
/// <para type="link">Start-KafkaSyncTarget</para>
/// <para type="link">Get-KafkaSyncStatus</para>
/// <para type="link">Get-KafkaSyncQueue</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncSource")]
[OutputType(typeof(AgentStatus), typeof(AgentJob))]
public sealed class StartKafkaSyncSourceCommand : AgentCmdletBase
{
    /// <summary>The agent's name (consumer group "kafkasync-NAME" unless the config sets one).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The source cluster's brokers, host:port[,host:port…].</summary>
    [Parameter]
    public string? BootstrapServers { get; set; }

    /// <summary>Topics to copy by name.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TopicCompleter))]
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

    /// <summary>SASL user name and password for the source cluster.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SaslCredential { get; set; }

    /// <summary>Where to start in partitions the group has no offset for.</summary>
    [Parameter]
    public StartPosition? StartFrom { get; set; }

    private protected override string Kind => "source";

    private protected override AgentKind RegistryKind => AgentKind.Source;

    private protected override ISyncAgent CreateAgent(IProgress<string>? log) => new SourceAgent(BuildOptions(), log);



    private SourceAgentOptions BuildOptions()
    {
        var o = AgentParameters.Load<SourceAgentOptions>(this, ConfigPath);
        return o with
        {
            Name = Name ?? o.Name,
            Kafka = AgentParameters.Kafka(o.Kafka, BootstrapServers, SaslCredential),
            Topics = o.Topics with { Names = Topic ?? o.Topics.Names, Include = Include ?? o.Topics.Include, Exclude = Exclude ?? o.Topics.Exclude },
            Queue = AgentParameters.Queue(this, o.Queue, QueuePath),
            Link = LinkTarget is null ? o.Link : (o.Link ?? new LinkSenderOptions { Target = LinkTarget }) with { Target = LinkTarget },
            LinkKey = LinkKeyOr(o.LinkKey),
            LinkKeyFile = LinkKeyFileOr(o.LinkKeyFile),
            LinkKeyEnvironmentVariable = LinkKeyEnvironmentVariableOr(o.LinkKeyEnvironmentVariable),
            StartFrom = StartFrom ?? o.StartFrom,
            Metrics = MetricsOr(o.Metrics),
        };
    }
}
