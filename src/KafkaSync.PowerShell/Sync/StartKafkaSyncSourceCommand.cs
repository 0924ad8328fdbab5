using System.Management.Automation;
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
        };
    }
}
