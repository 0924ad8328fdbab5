using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Tsdb;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// <para type="synopsis">Runs another read balancer that reads the node list from a running cluster service.</para>
/// <para type="description">Runs in the foreground until Ctrl+C. Run several for a read tier with no single point of failure.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "KafkaSyncTsdbBalancer")]
[OutputType(typeof(void))]
public sealed class StartKafkaSyncTsdbBalancerCommand : StoppableCmdlet
{
    /// <summary>Error id: the config is invalid.</summary>
    public const string InvalidConfig = nameof(InvalidConfig);

    /// <summary>Error id: the balancer could not start.</summary>
    public const string BalancerFailed = nameof(BalancerFailed);


    /// <summary>The cluster's JSON config file (its kind and balancer weights are used).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string ConfigPath { get; set; } = "";

    /// <summary>The cluster service's status URL (its monitor.listen).</summary>
    [Parameter]
    [ValidateHttpUrl]
    public Uri MonitorUrl { get; set; } = new(TsdbStatusClient.DefaultUrl);

    /// <summary>host:port to accept queries on; overrides balancer.listen.</summary>
    [Parameter]
    public string? Listen { get; set; }

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
        try
        {
            var balancer = TsdbBalancer.StartAsync(options, MonitorUrl, Listen ?? options.Balancer.Listen, log, StopToken).GetAwaiter().GetResult();
            try
            {
                WriteVerbose($"balancer on {balancer.Url} for the cluster at {MonitorUrl}; Ctrl+C stops it.");
                log.PumpUntil(this, StopToken);
            }
            finally
            {
                balancer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or OptionsException)
        {
            WriteError(new ErrorRecord(ex, BalancerFailed, ErrorCategory.ConnectionError, MonitorUrl));
        }
    }
}
