using System.Management.Automation;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// <para type="synopsis">Starts an in-memory Kafka cluster in this session, to try the module with no cluster at hand.</para>
/// <para type="description">The cluster (librdkafka's mock cluster) speaks the Kafka protocol on loopback; any client can
/// use its BootstrapServers. It lives until Stop-KafkaSyncEmbeddedCluster or the session ends; its data is in memory only
/// and each partition keeps only its newest 5 MiB.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncEmbeddedCluster")]
[OutputType(typeof(EmbeddedKafka))]
public sealed class StartKafkaSyncEmbeddedClusterCommand : PSCmdlet
{
    /// <summary>The error id for a cluster that cannot start or a topic that cannot be created.</summary>
    public const string EmbeddedClusterFailed = nameof(EmbeddedClusterFailed);

    /// <summary>Number of brokers.</summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int Brokers { get; set; } = 3;

    /// <summary>Topics to create.</summary>
    [Parameter]
    public string[] Topic { get; set; } = [];

    /// <summary>Partitions of each topic created.</summary>
    [Parameter]
    [ValidateRange(1, 10_000)]
    public int Partitions { get; set; } = 4;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            var cluster = new EmbeddedKafka(Brokers);
            foreach (var topic in Topic)
            {
                cluster.CreateTopic(topic, Partitions);
            }

            WriteVerbose($"Embedded cluster at {cluster.BootstrapServers}");
            EmbeddedClusters.Add(cluster);
            WriteObject(cluster);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DllNotFoundException)
        {
            WriteError(new ErrorRecord(ex, EmbeddedClusterFailed, ErrorCategory.ResourceUnavailable, null));
        }
    }
}
