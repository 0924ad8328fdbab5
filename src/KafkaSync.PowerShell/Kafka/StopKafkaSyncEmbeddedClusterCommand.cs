using System.Management.Automation;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// <para type="synopsis">Stops an embedded cluster started with Start-KafkaSyncEmbeddedCluster; its data is gone.</para>
/// </summary>
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
