using System.Management.Automation;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// <para type="synopsis">Starts an in-memory Kafka cluster in this session, to try the module with no cluster at hand.</para>
/// <para type="description">The cluster (librdkafka's mock cluster) speaks the Kafka protocol on loopback; any client can
/// use its BootstrapServers. It lives until Stop-KafkaSyncEmbeddedCluster or the session ends; its data is in memory only
/// and each partition keeps only its newest 5 MiB.</para>
/// </summary>
/// <example title="A cluster with one topic">
/// <code>$cluster = Start-KafkaSyncEmbeddedCluster -Topic orders -Partitions 4
/// $cluster.BootstrapServers</code>
/// <para>Starts three brokers with the topic orders in four partitions and shows the bootstrap list to give Kafka clients.</para>
/// </example>
/// <example title="Two clusters to try a sync on one machine">
/// <code>$source = Start-KafkaSyncEmbeddedCluster -Topic orders
/// $target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders
/// $key = Get-Credential -UserName link -Message 'any link key'
/// $dst = Start-KafkaSyncTarget -Name demo -BootstrapServers $target.BootstrapServers -QueuePath ./dst -Listen 127.0.0.1:7070 -LinkCredential $key -AsJob
/// $src = Start-KafkaSyncSource -Name demo -BootstrapServers $source.BootstrapServers -Topic orders -QueuePath ./src -LinkTarget 127.0.0.1:7070 -LinkCredential $key -AsJob</code>
/// <para>Runs a target agent and a source agent as jobs between two embedded clusters; records produced to orders on the
/// source cluster appear on the target cluster.</para>
/// </example>
/// <para type="link">Stop-KafkaSyncEmbeddedCluster</para>
/// <para type="link">Start-KafkaSyncSource</para>
/// <para type="link">Start-KafkaSyncTarget</para>
/// <para type="link">about_KafkaSync_Sync</para>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncEmbeddedCluster")]
[OutputType(typeof(EmbeddedKafka))]
public sealed class StartKafkaSyncEmbeddedClusterCommand : PSCmdlet
{
    /// <summary>The error id for a cluster that cannot start or a topic that cannot be created.</summary>
    public const string EmbeddedClusterFailed = nameof(EmbeddedClusterFailed);

    /// <summary>Number of brokers.</summary>
    /// <value>3</value>
    [Parameter]
    [ValidateRange(1, 16)]
    public int Brokers { get; set; } = 3;

    /// <summary>Topics to create.</summary>
    [Parameter]
    public string[] Topic { get; set; } = [];

    /// <summary>Partitions of each topic created.</summary>
    /// <value>4</value>
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
