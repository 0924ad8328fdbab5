using System.Management.Automation;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Lists the nodes of a running cluster service: state, offsets, lag, writers, readers, pressure and last error.</para>
/// <para type="description">Reads the node list from the status endpoint of a service started with Start-KafkaSyncTsdbCluster
/// (its monitor.listen address). A node is Available when reads may go to it.</para>
/// </summary>
/// <example title="Every node of the service on this machine">
/// <code>Get-KafkaSyncTsdbNode</code>
/// <para>Reads http://127.0.0.1:8089/ and shows each node's state, lag, writers, readers and pressure.</para>
/// </example>
/// <example title="Why nodes are out of service">
/// <code>Get-KafkaSyncTsdbNode -Url http://tsdb1.example.net:8089/ -State Unavailable | Format-List Name, LastError, LastErrorAt, Lag</code>
/// <para>Shows the nodes of a remote service that are out of service, with their last error and how far behind they are.</para>
/// </example>
/// <example title="Nodes by name">
/// <code>Get-KafkaSyncTsdbNode influx-a, influx-c | Sort-Object Pressure</code>
/// <para>Shows two nodes, least loaded first.</para>
/// </example>
/// <para type="link">Get-KafkaSyncTsdbTimeline</para>
/// <para type="link">Start-KafkaSyncTsdbCluster</para>
/// <para type="link">about_KafkaSync_Tsdb</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncTsdbNode")]
[OutputType(typeof(TsdbNodeStatus))]
public sealed class GetKafkaSyncTsdbNodeCommand : PSCmdlet
{
    /// <summary>Error id: the status endpoint could not be read.</summary>
    public const string StatusUnreachable = nameof(StatusUnreachable);

    /// <summary>Node names to show; wildcards allowed. All when omitted.</summary>
    /// <value>*</value>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TsdbNodeCompleter))]
    public string[] Name { get; set; } = ["*"];

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
    /// <value>http://127.0.0.1:8089/</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StatusUrl")]
    [ValidateHttpUrl]
    public Uri Url { get; set; } = new(TsdbStatusClient.DefaultUrl);

    /// <summary>Only nodes in this state.</summary>
    [Parameter]
    public TsdbNodeState? State { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<TsdbNodeStatus> nodes;
        try
        {
            nodes = TsdbStatusClient.GetNodesAsync(Url).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException ex)
        {
            WriteError(new ErrorRecord(ex, StatusUnreachable, ErrorCategory.ConnectionError, Url));
            return;
        }

        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var node in nodes.Where(n => patterns.Any(p => p.IsMatch(n.Name)) && (State == null || n.State == State)))
        {
            WriteObject(node);
        }
    }
}
