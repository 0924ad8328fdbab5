using System.Management.Automation;
using KafkaSync.Engine.Agents;
using KafkaSync.PowerShell.Agents;

namespace KafkaSync.PowerShell.Tsdb;

/// <summary>
/// A started and registered time-series service (cluster or balancer) from then on, the same for
/// both cmdlets: run in the foreground (events to Information until Ctrl+C)
/// or as a job, until a stop, which Stop-KafkaSyncAgent can request from any session. The service
/// is disposed before its registration, so whoever waits for the entry to go finds its ports free.
/// </summary>
internal static class TsdbServiceRun
{
    /// <summary>Pumps the service's events until Ctrl+C or a stop request; returns <paramref name="summary"/> as it stood then.</summary>
    public static T Foreground<T>(Cmdlet cmdlet, TsdbLogPump log, IAsyncDisposable service, AgentRegistration registration, Func<T> summary, CancellationToken stopToken)
    {
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopToken, registration.StopRequested);
            log.PumpUntil(cmdlet, stop.Token);
            return summary();
        }
        finally
        {
            service.DisposeAsync().AsTask().GetAwaiter().GetResult();
            registration.Dispose();
        }
    }

    /// <summary>Runs the service in <paramref name="job"/> until it is stopped; the job's output is <paramref name="summary"/> as it stood then.</summary>
    public static void InJob(AgentJob job, IAsyncDisposable service, AgentRegistration registration, Func<object?> summary, Func<string>? progress, Func<Exception, ErrorRecord> error)
    {
        job.Start(
            async ct =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Stopped: the summary follows.
                }

                try
                {
                    return summary();
                }
                finally
                {
                    await service.DisposeAsync();
                }
            },
            progress,
            error,
            registration);
    }
}
