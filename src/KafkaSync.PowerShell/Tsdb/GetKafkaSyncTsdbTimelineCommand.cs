using System.Management.Automation;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Lists every state change of the nodes of a running cluster service, oldest first.</para>
/// <para type="description">Reads the timeline from the status endpoint of a service started with Start-KafkaSyncTsdbCluster:
/// when each node left or returned to the available list, and why.</para>
/// </summary>
/// <example title="The whole timeline">
/// <code>Get-KafkaSyncTsdbTimeline</code>
/// <para>Lists every state change the service on this machine has seen since it started.</para>
/// </example>
/// <example title="One node over the last hour">
/// <code>Get-KafkaSyncTsdbTimeline -Node influx-b -After (Get-Date).AddHours(-1)</code>
/// <para>Shows the changes of node influx-b in the last hour.</para>
/// </example>
/// <example title="From the node list">
/// <code>Get-KafkaSyncTsdbNode -State Unavailable | ForEach-Object { Get-KafkaSyncTsdbTimeline -Node $_.Name }</code>
/// <para>Shows the history of every node now out of service.</para>
/// </example>
/// <para type="link">Get-KafkaSyncTsdbNode</para>
/// <para type="link">Start-KafkaSyncTsdbCluster</para>
/// <para type="link">about_KafkaSync_Tsdb</para>
[Cmdlet(VerbsCommon.Get, "KafkaSyncTsdbTimeline")]
[OutputType(typeof(TsdbTimelineEntry))]
public sealed class GetKafkaSyncTsdbTimelineCommand : PSCmdlet
{
    /// <summary>Error id: the status endpoint could not be read.</summary>
    public const string StatusUnreachable = nameof(StatusUnreachable);

    /// <summary>Only changes of these nodes; wildcards allowed.</summary>
    /// <value>*</value>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(TsdbNodeCompleter))]
    public string[] Node { get; set; } = ["*"];

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
    /// <value>http://127.0.0.1:8089/</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StatusUrl")]
    [ValidateHttpUrl]
    public Uri Url { get; set; } = new(TsdbStatusClient.DefaultUrl);

    /// <summary>Only changes after this time.</summary>
    [Parameter]
    public DateTimeOffset? After { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<TsdbTimelineEntry> entries;
        try
        {
            entries = TsdbStatusClient.GetTimelineAsync(Url).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException ex)
        {
            WriteError(new ErrorRecord(ex, StatusUnreachable, ErrorCategory.ConnectionError, Url));
            return;
        }

        var patterns = Node.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var entry in entries.Where(e => patterns.Any(p => p.IsMatch(e.Node)) && (After == null || e.At > After)))
        {
            WriteObject(entry);
        }
    }
}
