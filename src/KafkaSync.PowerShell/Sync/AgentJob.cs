using System.Management.Automation;
using KafkaSync.Engine.Sync;

namespace KafkaSync.PowerShell.Sync;

/// <summary>
/// An agent run as a PowerShell job (-AsJob): Receive-Job returns its summary, Stop-Job stops it
/// cleanly and returns once it has stopped, its messages arrive on the job's Verbose stream and
/// its latest status on Progress.
/// </summary>
public sealed class AgentJob : Job2
{
    /// <summary>How long Stop-Job waits for the agent to drain before it gives up waiting.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Job2.SetJobState(state, reason), which fills JobStateInfo.Reason: protected in every pwsh, but
    /// missing from the PowerShellStandard reference assembly this project compiles against.
    /// </summary>
    private static readonly System.Reflection.MethodInfo? SetJobStateWithReason = typeof(Job2).GetMethod(
        nameof(SetJobState), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, null, [typeof(JobState), typeof(Exception)], null);

    private readonly CancellationTokenSource _stop = new();
    private readonly string _location;
    private Task _worker = Task.CompletedTask;

    internal AgentJob(string command, string name, string location)
        : base(command, name, new List<Job>())
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

    /// <summary>Stops the agent and waits until it has drained, so Receive-Job and Remove-Job work right after Stop-Job.</summary>
    public override void StopJob()
    {
        lock (_stop)
        {
            if (IsFinished(JobStateInfo.State))
            {
                return;
            }

            if (JobStateInfo.State != JobState.Stopping)
            {
                SetJobState(JobState.Stopping);
                _stop.Cancel();
            }
        }

        _worker.Wait(StopTimeout);
    }

    /// <inheritdoc />
    public override void StopJob(bool force, string reason) => StopJob();

    /// <inheritdoc />
    public override void StopJobAsync() => StopJobAsync(false, "");

    /// <summary>Stop-Job calls this and waits for StopJobCompleted: raised once the agent has stopped.</summary>
    public override void StopJobAsync(bool force, string reason) => Task.Run(() =>
    {
        StopJob();
        OnStopJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, null));
    });

    /// <summary>The agent starts when the job is created; nothing to do.</summary>
    public override void StartJob()
    {
    }

    /// <inheritdoc />
    public override void StartJobAsync() => OnStartJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, null));

    /// <summary>An agent cannot be suspended; stop it instead.</summary>
    public override void SuspendJob() => throw new NotSupportedException("An agent job cannot be suspended; stop it with Stop-Job and start it again.");

    /// <inheritdoc />
    public override void SuspendJob(bool force, string reason) => SuspendJob();

    /// <inheritdoc />
    public override void SuspendJobAsync() => SuspendJob();

    /// <inheritdoc />
    public override void SuspendJobAsync(bool force, string reason) => SuspendJob();

    /// <inheritdoc />
    public override void ResumeJob() => SuspendJob();

    /// <inheritdoc />
    public override void ResumeJobAsync() => SuspendJob();

    /// <summary>An agent job never blocks.</summary>
    public override void UnblockJob()
    {
    }

    /// <inheritdoc />
    public override void UnblockJobAsync() => OnUnblockJobCompleted(new System.ComponentModel.AsyncCompletedEventArgs(null, false, null));

    /// <summary>Starts the agent on a worker thread; <paramref name="target"/> names the agent in its error records.</summary>
    internal void Start(Func<CancellationToken, Task<AgentStatus>> start, Func<AgentStatus> status, object? target)
    {
        SetJobState(JobState.Running);
        var tracked = RunningWork.Track(StopJob);
        _worker = Task.Run(async () =>
        {
            try
            {
                var run = start(_stop.Token);
                while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1))) != run)
                {
                    // Only the latest status: nobody needs the history, and a job nobody receives from would grow forever.
                    Progress.Clear();
                    Progress.Add(new ProgressRecord(1, Name, AgentCmdletRunner.Describe(status())));
                }

                Output.Add(PSObject.AsPSObject(await run));
                Finish(_stop.IsCancellationRequested ? JobState.Stopped : JobState.Completed, null);
            }
            catch (Exception ex)
            {
                Error.Add(AgentErrors.Record(ex, target));
                Finish(JobState.Failed, ex);
            }
            finally
            {
                tracked.Dispose();
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

    private static bool IsFinished(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    private void Finish(JobState state, Exception? reason)
    {
        lock (_stop)
        {
            if (reason is not null && SetJobStateWithReason is { } withReason)
            {
                withReason.Invoke(this, [state, reason]);
            }
            else
            {
                SetJobState(state);
            }
        }
    }

    private sealed class VerboseLog(AgentJob job) : IProgress<string>
    {
        public void Report(string value) => job.Verbose.Add(new VerboseRecord(value));
    }
}
