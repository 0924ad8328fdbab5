using System.Management.Automation;
using KafkaSync.Engine.Kafka;

namespace KafkaSync.PowerShell.Kafka;

/// <summary>
/// <para type="synopsis">Gets the embedded clusters started in this session with Start-KafkaSyncEmbeddedCluster and not stopped yet.</para>
/// <para type="description">An embedded cluster lives in this session's memory until Stop-KafkaSyncEmbeddedCluster or
/// the end of the process; this finds it again when its object was not kept in a variable. Clusters started in other
/// sessions (other runspaces, thread jobs) are not listed.</para>
/// </summary>
/// <example title="List this session's clusters">
/// <code>Get-KafkaSyncEmbeddedCluster</code>
/// <para>Lists every embedded cluster this session started and has not stopped, with its bootstrap servers.</para>
/// </example>
/// <example title="Stop them all">
/// <code>Get-KafkaSyncEmbeddedCluster | Stop-KafkaSyncEmbeddedCluster -Confirm:$false</code>
/// <para>Stops every embedded cluster of this session; their data is gone.</para>
/// </example>
/// <example title="Find one by its address">
/// <code>Get-KafkaSyncEmbeddedCluster -BootstrapServers '127.0.0.1:4*'</code>
/// <para>Gets the clusters whose bootstrap list matches the wildcard pattern.</para>
/// </example>
/// <para type="link">Start-KafkaSyncEmbeddedCluster</para>
/// <para type="link">Stop-KafkaSyncEmbeddedCluster</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncEmbeddedCluster")]
[OutputType(typeof(EmbeddedKafka))]
public sealed class GetKafkaSyncEmbeddedClusterCommand : PSCmdlet
{
    /// <summary>The error id for a -BootstrapServers value no cluster of this session matches.</summary>
    public const string EmbeddedClusterNotFound = nameof(EmbeddedClusterNotFound);

    /// <summary>Only the clusters whose bootstrap servers match these values; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? BootstrapServers { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var clusters = EmbeddedClusters.OfThisSession();
        if (BootstrapServers is null)
        {
            WriteObject(clusters, enumerateCollection: true);
            return;
        }

        foreach (var value in BootstrapServers)
        {
            var pattern = new WildcardPattern(value, WildcardOptions.IgnoreCase);
            var matches = clusters.Where(c => pattern.IsMatch(c.BootstrapServers)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(value))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No embedded cluster of this session has the bootstrap servers '{value}'."),
                    EmbeddedClusterNotFound,
                    ErrorCategory.ObjectNotFound,
                    value));
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
