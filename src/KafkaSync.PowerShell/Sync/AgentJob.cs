using System.Management.Automation;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// An agent run as a PowerShell job (-AsJob): Receive-Job returns its summary, Stop-Job stops it
/// cleanly, its messages arrive on the job's Verbose stream and its status on Progress.
/// </summary>
public sealed class AgentJob : Job
{
    private readonly CancellationTokenSource _stop = new();
    private readonly string _location;

    internal AgentJob(string command, string name, string location)
        : base(command, name)
    {
        _location = location;
        PSJobTypeName = "KafkaSyncAgentJob";
    }

    /// <summary>Where the agent's messages go: the job's Verbose stream.</summary>
    internal IProgress<string> Log => new VerboseLog(this);

    /// <inheritdoc />
    public override string StatusMessage => JobStateInfo.State.ToString();

    /// <inheritdoc />
    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Verbose.Count > 0;

    /// <inheritdoc />
    public override string Location => _location;

    /// <inheritdoc />
    public override void StopJob()
    {
        SetJobState(JobState.Stopping);
        _stop.Cancel();
    }

    /// <summary>Starts the agent on a worker thread.</summary>
    internal void Start(Func<CancellationToken, Task<AgentStatus>> start, Func<AgentStatus> status)
    {
        SetJobState(JobState.Running);
        _ = Task.Run(async () =>
        {
            var run = start(_stop.Token);
            var progress = new ProgressRecord(1, Name, "starting");
            while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))) != run)
            {
                progress.StatusDescription = AgentCmdletRunner.Describe(status());
                Progress.Add(progress);
            }

            try
            {
                Output.Add(PSObject.AsPSObject(await run));
                SetJobState(_stop.IsCancellationRequested ? JobState.Stopped : JobState.Completed);
            }
            catch (Exception ex)
            {
                Error.Add(new ErrorRecord(ex, "AgentFailed", ErrorCategory.NotSpecified, Name));
                SetJobState(JobState.Failed);
            }
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class VerboseLog(AgentJob job) : IProgress<string>
    {
        public void Report(string value) => job.Verbose.Add(new VerboseRecord(value));
    }
}
