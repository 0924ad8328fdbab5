using System.Management.Automation;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Lists the nodes of a running cluster service: state, offsets, lag, writers, readers, pressure and last error.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KafkaSyncTsdbNode")]
[OutputType(typeof(TsdbNodeStatus))]
public sealed class GetKafkaSyncTsdbNodeCommand : PSCmdlet
{
    /// <summary>Error id: the status endpoint could not be read.</summary>
    public const string StatusUnreachable = nameof(StatusUnreachable);

    /// <summary>Node names to show; wildcards allowed. All when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; } = ["*"];

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
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
