using System.Management.Automation;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// <para type="synopsis">Stops an embedded cluster started with Start-KafkaSyncEmbeddedCluster; its data is gone.</para>
/// <para type="description">Closes the cluster's brokers and frees its memory. Clients still connected to it see the brokers
/// go down. Clusters that are not stopped end with the session.</para>
/// </summary>
/// <example title="Stop a cluster">
/// <code>$cluster = Start-KafkaSyncEmbeddedCluster -Topic orders
/// Stop-KafkaSyncEmbeddedCluster -Cluster $cluster</code>
/// <para>Starts a cluster and stops it again.</para>
/// </example>
/// <example title="Stop several clusters from the pipeline">
/// <code>$source, $target | Stop-KafkaSyncEmbeddedCluster -WhatIf</code>
/// <para>Clusters bind to -Cluster from the pipeline; -WhatIf shows which would be stopped. Leave it out to stop them.</para>
/// </example>
/// <para type="link">Start-KafkaSyncEmbeddedCluster</para>
/// <para type="link">about_KafkaSync</para>
[Cmdlet(VerbsLifecycle.Stop, "KafkaSyncEmbeddedCluster", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class StopKafkaSyncEmbeddedClusterCommand : PSCmdlet
{
    /// <summary>The cluster to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public EmbeddedKafka? Cluster { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Cluster is not null && ShouldProcess(Cluster.BootstrapServers, "Stop the embedded cluster and discard its data"))
        {
            Cluster.Dispose();
            EmbeddedClusters.Remove(Cluster);
        }
    }
}
