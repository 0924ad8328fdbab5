using System.Management.Automation;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Lists every state change of the nodes of a running cluster service, oldest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaSyncTsdbTimeline")]
[OutputType(typeof(TsdbTimelineEntry))]
public sealed class GetKafkaSyncTsdbTimelineCommand : PSCmdlet
{
    /// <summary>Error id: the status endpoint could not be read.</summary>
    public const string StatusUnreachable = nameof(StatusUnreachable);

    /// <summary>Only changes of these nodes; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Node { get; set; } = ["*"];

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
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
