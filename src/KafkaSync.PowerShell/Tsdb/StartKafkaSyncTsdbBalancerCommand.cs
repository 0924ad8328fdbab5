using System.Management.Automation;
using KafkaSync.PowerShell.Agents;
using KafkaSync.PowerShell.Completion;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Runs another read balancer that reads the node list from a running cluster service.</para>
/// <para type="description">Runs in the foreground until Ctrl+C, or with -AsJob as a job that Stop-Job stops. Run several for a read tier
/// with no single point of failure. Get-KafkaSyncAgent lists it (kind TsdbBalancer, named after the config's name with "-balancer")
/// and Stop-KafkaSyncAgent stops it from any session.</para>
/// <para type="description">The balancer forwards each query to the available node with the lowest load pressure, using the
/// node kind and weights of the cluster's config file and the node list of the service at -MonitorUrl, and relays the answer.</para>
/// </summary>
/// <example title="A second balancer on this machine">
/// <code>Start-KafkaSyncTsdbBalancer ./tsdb.influxdb.json -Listen 0.0.0.0:8091</code>
/// <para>Serves queries on port 8091 for the cluster service running on this machine (status at http://127.0.0.1:8089/).</para>
/// </example>
/// <example title="A balancer on another machine">
/// <code>Start-KafkaSyncTsdbBalancer ./tsdb.influxdb.json -MonitorUrl http://tsdb1.example.net:8089/ -Listen 127.0.0.1:8090 -Verbose</code>
/// <para>Reads the node list from the service on tsdb1 and serves local clients; -Verbose shows the address it serves on.</para>
/// </example>
/// <example title="A balancer as a job">
/// <code>$job = Start-KafkaSyncTsdbBalancer ./tsdb.influxdb.json -Listen 127.0.0.1:8092 -AsJob
/// Get-KafkaSyncAgent -Kind TsdbBalancer
/// Stop-Job $job</code>
/// <para>Runs the balancer in the background, lists it with its URL, and stops it.</para>
/// </example>
/// <para type="link">Start-KafkaSyncTsdbCluster</para>
/// <para type="link">Get-KafkaSyncTsdbNode</para>
/// <para type="link">Stop-KafkaSyncAgent</para>
/// <para type="link">about_KafkaSync_Tsdb</para>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncTsdbBalancer")]
[OutputType(typeof(AgentJob))]
public sealed class StartKafkaSyncTsdbBalancerCommand : StoppableCmdlet
{
    /// <summary>Error id: the config is invalid.</summary>
    public const string InvalidConfig = nameof(InvalidConfig);

    /// <summary>Error id: the balancer could not start.</summary>
    public const string BalancerFailed = nameof(BalancerFailed);


    /// <summary>The cluster's JSON config file (its kind and balancer weights are used).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ConfigFileCompleter))]
    public string ConfigPath { get; set; } = "";

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
    /// <value>http://127.0.0.1:8089/</value>
    [Parameter]
    [ValidateHttpUrl]
    public Uri MonitorUrl { get; set; } = new(TsdbStatusClient.DefaultUrl);

    /// <summary>host:port to accept queries on; overrides balancer.listen.</summary>
    [Parameter]
    public string? Listen { get; set; }

    /// <summary>Run as a background job; Stop-Job stops the balancer.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        TsdbClusterOptions options;
        try
        {
            options = ConfigValues.Load<TsdbClusterOptions>(ResolvePath(ConfigPath)!).Validate();
        }
        catch (OptionsException ex)
        {
            WriteError(new ErrorRecord(ex, InvalidConfig, ErrorCategory.InvalidArgument, ConfigPath));
            return;
        }

        using var log = new TsdbLogPump();
        var name = options.Name + "-balancer";
        var job = AsJob ? new AgentJob(MyInvocation.Line, "KafkaSync tsdb " + name, name) : null;
        try
        {
            var events = job?.InformationLog("KafkaSync.Tsdb", "KafkaSync", "Tsdb") ?? log;
            var balancer = TsdbBalancer.StartAsync(options, MonitorUrl, Listen ?? options.Balancer.Listen, events, StopToken).GetAwaiter().GetResult();
            var registration = Register(AgentKind.TsdbBalancer, name, url: balancer.Url);
            if (job is not null)
            {
                TsdbServiceRun.InJob(job, balancer, registration, () => null, null, ex => Failure(ex));
                JobRepository.Add(job);
                WriteObject(job);
                return;
            }

            WriteVerbose($"balancer on {balancer.Url} for the cluster at {MonitorUrl}; Ctrl+C stops it.");
            _ = TsdbServiceRun.Foreground<object?>(this, log, balancer, registration, () => null, StopToken);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or OptionsException)
        {
            job?.Dispose();
            WriteError(Failure(ex));
        }
    }

    private ErrorRecord Failure(Exception ex) => new(ex, BalancerFailed, ErrorCategory.ConnectionError, MonitorUrl);
}
