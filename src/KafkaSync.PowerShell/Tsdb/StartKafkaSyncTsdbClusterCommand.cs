using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Runs the time-series cluster service: connectors, monitor, status endpoint and read balancer.</para>
/// <para type="description">Runs in the foreground until Ctrl+C, writing every state change to the Information stream (tags KafkaSync, Tsdb), then outputs the final node list.
/// With -AsJob it runs as a job: Receive-Job gives the final node list, Stop-Job stops it cleanly. Either way it is listed by
/// Get-KafkaSyncAgent (kind TsdbCluster, named by the config's name) and Stop-KafkaSyncAgent stops it from any session.</para>
/// <para type="description">Each node (InfluxDB 1.x or VictoriaMetrics) gets a connector with its own consumer group that
/// writes the topic's points and commits offsets only once the node has accepted them. The monitor takes a failed node out
/// of the available list and returns it once it has caught up; the balancer sends each query to the available node with the
/// lowest load pressure. Get-KafkaSyncTsdbNode and Get-KafkaSyncTsdbTimeline read the status endpoint.</para>
/// </summary>
/// <example title="Run from a config file">
/// <code>Start-KafkaSyncTsdbCluster ./tsdb.influxdb.json -Credential (Get-Credential -UserName writer -Message 'InfluxDB') -InformationAction Continue</code>
/// <para>Runs the service for the nodes in the file with the InfluxDB user given, showing each state change, until Ctrl+C.</para>
/// </example>
/// <example title="Another cluster and topic than the file's">
/// <code>Start-KafkaSyncTsdbCluster ./tsdb.victoriametrics.json -BootstrapServers kafka1.dc1:9092 -Topic metrics.eu -Verbose</code>
/// <para>Reads points from the topic metrics.eu on that cluster; -Verbose shows the status and balancer addresses.</para>
/// </example>
/// <example title="Run as a job and wait for a node">
/// <code>$job = Start-KafkaSyncTsdbCluster ./tsdb.influxdb.json -AsJob
/// Wait-KafkaSyncTsdbNode influx-a -State Available -Timeout 120
/// Stop-Job $job; Receive-Job $job</code>
/// <para>Starts the service as a job, waits until the node influx-a serves reads, and later stops the service and receives the final node list.</para>
/// </example>
/// <para type="link">Get-KafkaSyncTsdbNode</para>
/// <para type="link">Wait-KafkaSyncTsdbNode</para>
/// <para type="link">Get-KafkaSyncTsdbTimeline</para>
/// <para type="link">Start-KafkaSyncTsdbBalancer</para>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">about_KafkaSync_Tsdb</para>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncTsdbCluster", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TsdbNodeStatus), typeof(AgentJob))]
public sealed class StartKafkaSyncTsdbClusterCommand : StoppableCmdlet
{
    /// <summary>Error id: the config is invalid.</summary>
    public const string InvalidConfig = nameof(InvalidConfig);

    /// <summary>Error id: the service could not start or failed.</summary>
    public const string ClusterFailed = nameof(ClusterFailed);

    private const string PathSet = "Path";
    private const string ObjectSet = "Object";

    /// <summary>The cluster's JSON config file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string ConfigPath { get; set; } = "";

    /// <summary>The cluster's options: an options object, or a hashtable with the JSON config's fields.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
    [ConfigTransformation(typeof(TsdbClusterOptions))]
    public TsdbClusterOptions? Config { get; set; }

    /// <summary>InfluxDB user name and password; overrides influx.username and the password settings.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Overrides kafka.bootstrapServers.</summary>
    [Parameter]
    public string? BootstrapServers { get; set; }

    /// <summary>Overrides kafka.topic.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(TopicCompleter))]
    public string? Topic { get; set; }

    /// <summary>host:port of the Prometheus /metrics endpoint (e.g. 0.0.0.0:9464; port 0 picks a free one); overrides metrics.listen.</summary>
    [Parameter]
    public string? MetricsListen { get; set; }

    /// <summary>Run as a background job: Receive-Job gives the final node list, Stop-Job stops the service cleanly.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TsdbClusterOptions options;
        try
        {
            var path = ParameterSetName == PathSet ? ResolvePath(ConfigPath)! : null;
            options = TsdbConfigResolver.Resolve(path, Config, Credential, BootstrapServers, Topic);
            if (MetricsListen is not null)
            {
                options = options with { Metrics = options.Metrics with { Listen = MetricsListen } };
            }

            options = options.Validate();
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidConfig, ErrorCategory.InvalidArgument, ConfigPath));
            return;
        }

        using var log = new TsdbLogPump();
        var job = AsJob ? new AgentJob(MyInvocation.Line, "KafkaSync tsdb " + options.Name, options.Name) : null;
        try
        {
            var events = job?.InformationLog("KafkaSync.Tsdb", "KafkaSync", "Tsdb") ?? log;
            var cluster = TsdbCluster.StartAsync(options, events, StopToken).GetAwaiter().GetResult();
            var registration = Register(AgentKind.TsdbCluster, options.Name, url: cluster.StatusUrl);
            if (job is not null)
            {
                TsdbServiceRun.InJob(job, cluster, registration, cluster.Nodes, () => Describe(cluster.Nodes()), ex => Failure(ex, options));
                JobRepository.Add(job);
                WriteObject(job);
                return;
            }

            WriteVerbose($"status {cluster.StatusUrl}, balancer {cluster.BalancerUrl}, metrics {cluster.MetricsUrl}; Ctrl+C stops the service.");
            foreach (var node in TsdbServiceRun.Foreground(this, log, cluster, registration, cluster.Nodes, StopToken))
            {
                PipelineWrites.WriteSummary(this, node);
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or OptionsException)
        {
            job?.Dispose();
            WriteError(Failure(ex, options));
        }
    }

    private static ErrorRecord Failure(Exception ex, TsdbClusterOptions options) => new(ex, ClusterFailed, ErrorCategory.ConnectionError, options.Name);

    private static string Describe(IReadOnlyList<TsdbNodeStatus> nodes) =>
        $"{nodes.Count(n => n.State == TsdbNodeState.Available)} of {nodes.Count} nodes available" +
        string.Concat(nodes.Where(n => n.State != TsdbNodeState.Available).Select(n => $"; {n.Name} {n.State}"));
}
