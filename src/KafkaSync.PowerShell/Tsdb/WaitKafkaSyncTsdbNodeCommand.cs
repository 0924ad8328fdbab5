using System.Management.Automation;
using KafkaSync.Engine.Tsdb;
using KafkaSync.PowerShell.Completion;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Waits until nodes of a running time-series service reach a state, Available by default.</para>
/// <para type="description">Reads the node list from the service's status endpoint (as Get-KafkaSyncTsdbNode does) four times a
/// second until every named node is in the state asked for, then writes those nodes. A node is Available once it serves reads:
/// after an outage only when it has caught up with the most advanced node. An endpoint that does not answer yet (a service still
/// starting) is read again; when -Timeout passes first the cmdlet stops with a WaitTimedOut error that names each node's state.</para>
/// <para type="description">A cmdlet of its own rather than a parameter set of Wait-KafkaSyncAgent: nodes are not agents of this
/// machine but entries in a service's status, found by its URL and their names, as Get-KafkaSyncTsdbNode finds them.</para>
/// </summary>
/// <example title="Wait for a node after maintenance">
/// <code>Wait-KafkaSyncTsdbNode influx-b -Timeout 900</code>
/// <para>Returns once influx-b serves reads again on the service at http://127.0.0.1:8089/, or fails after 15 minutes.</para>
/// </example>
/// <example title="Start a service in the background and wait for every node">
/// <code>Start-KafkaSyncTsdbCluster ./tsdb.victoriametrics.json -AsJob
/// Wait-KafkaSyncTsdbNode vm-a, vm-b -Url http://127.0.0.1:8089/ -Timeout 120</code>
/// <para>Waits until both nodes are Available before queries are sent to the balancer.</para>
/// </example>
/// <para type="link">Get-KafkaSyncTsdbNode</para>
/// <para type="link">Start-KafkaSyncTsdbCluster</para>
/// <para type="link">Wait-KafkaSyncAgent</para>
/// <para type="link">about_KafkaSync_Tsdb</para>
[Cmdlet(VerbsLifecycle.Wait, "KafkaSyncTsdbNode")]
[OutputType(typeof(TsdbNodeStatus))]
public sealed class WaitKafkaSyncTsdbNodeCommand : StoppableCmdlet
{
    /// <summary>Error id: -Timeout passed before the nodes reached the state.</summary>
    public const string WaitTimedOut = nameof(WaitTimedOut);

    /// <summary>Error id: the service has no node of that name.</summary>
    public const string NodeNotFound = nameof(NodeNotFound);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Names of the nodes to wait for.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TsdbNodeCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
    /// <value>http://127.0.0.1:8089/</value>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("StatusUrl")]
    [ValidateHttpUrl]
    public Uri Url { get; set; } = new(TsdbStatusClient.DefaultUrl);

    /// <summary>The state to wait for.</summary>
    /// <value>Available</value>
    [Parameter]
    public TsdbNodeState State { get; set; } = TsdbNodeState.Available;

    /// <summary>Seconds to wait at most; no limit when omitted.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var deadline = Timeout is { } seconds ? DateTime.UtcNow.AddSeconds(seconds) : DateTime.MaxValue;
        IReadOnlyList<TsdbNodeStatus> nodes = [];
        string? unreachable = null;
        while (true)
        {
            try
            {
                nodes = TsdbStatusClient.GetNodesAsync(Url, StopToken).GetAwaiter().GetResult();
                unreachable = null;
                if (Name.FirstOrDefault(n => !nodes.Any(node => string.Equals(node.Name, n, StringComparison.OrdinalIgnoreCase))) is { } missing)
                {
                    var message = $"The service at {Url} has no node '{missing}'; it has {string.Join(", ", nodes.Select(n => n.Name))}.";
                    ThrowTerminatingError(new ErrorRecord(new ItemNotFoundException(message), NodeNotFound, ErrorCategory.ObjectNotFound, missing));
                }

                var wanted = nodes.Where(n => Name.Contains(n.Name, StringComparer.OrdinalIgnoreCase)).ToList();
                if (wanted.All(n => n.State == State))
                {
                    WriteObject(wanted, enumerateCollection: true);
                    return;
                }
            }
            catch (InvalidOperationException ex)
            {
                // Not answering yet (a service still starting): read again until the timeout.
                unreachable = ex.Message;
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var states = unreachable ?? string.Join(", ", nodes.Where(n => Name.Contains(n.Name, StringComparer.OrdinalIgnoreCase)).Select(n => $"{n.Name} {n.State}"));
                var message = $"Waited {Timeout} s for node(s) {string.Join(", ", Name)} at {Url} to be {State}: {states}.";
                ThrowTerminatingError(new ErrorRecord(new TimeoutException(message), WaitTimedOut, ErrorCategory.OperationTimeout, Url));
            }

            try
            {
                Task.Delay(PollInterval, StopToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
