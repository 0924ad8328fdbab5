using System.Management.Automation;
using KafkaSync.Engine.Agents;

namespace KafkaSync.PowerShell.Agents;

/// <summary>
/// An agent or service run as a PowerShell job (-AsJob): Receive-Job returns its summary, Stop-Job
/// (or Stop-KafkaSyncAgent from any session) stops it cleanly and Stop-Job returns once it has
/// stopped; its messages arrive on the job's Verbose or Information stream and its latest status on Progress.
/// </summary>
/// <remarks>
/// The cmdlet starts the work before it creates the job (opening the queue, binding the port), so
/// a failure to start fails the calling pipeline with its reason; the job only runs and stops it.
/// </remarks>
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

    /// <summary>Where an agent's messages go: the job's Verbose stream.</summary>
    internal IProgress<string> Log => new VerboseLog(this);

    /// <summary>Where a service's events go: the job's Information stream, with <paramref name="tags"/>, as the foreground cmdlet writes them.</summary>
    internal IProgress<string> InformationLog(string source, params string[] tags) => new InformationSink(this, source, tags);

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

    /// <summary>
    /// Runs <paramref name="run"/> on a worker until the job is stopped (its token fires) and adds
    /// what it returns to the output (each item of a list). <paramref name="progress"/>, when given,
    /// describes the work once a second; <paramref name="error"/> makes the error record of a failure.
    /// A stop requested through <paramref name="registration"/> stops the job as Stop-Job does; the
    /// registration is removed once the job has finished.
    /// </summary>
    internal void Start(Func<CancellationToken, Task<object?>> run, Func<string>? progress, Func<Exception, ErrorRecord> error, AgentRegistration? registration)
    {
        SetJobState(JobState.Running);
        var tracked = RunningWork.Track(StopJob);
        var stopRequest = registration?.StopRequested.Register(_stop.Cancel);
        _worker = Task.Run(async () =>
        {
            try
            {
                var running = run(_stop.Token);
                while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1))) != running)
                {
                    if (progress is not null)
                    {
                        // Only the latest status: nobody needs the history, and a job nobody receives from would grow forever.
                        Progress.Clear();
                        Progress.Add(new ProgressRecord(1, Name, progress()));
                    }
                }

                foreach (var item in Items(await running))
                {
                    Output.Add(PSObject.AsPSObject(item));
                }

                Finish(_stop.IsCancellationRequested ? JobState.Stopped : JobState.Completed, null);
            }
            catch (Exception ex)
            {
                Error.Add(error(ex));
                Finish(JobState.Failed, ex);
            }
            finally
            {
                stopRequest?.Dispose();
                registration?.Dispose();
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

    private static IEnumerable<object> Items(object? summary) => summary switch
    {
        null => [],
        System.Collections.IEnumerable list and not string => list.Cast<object>(),
        _ => [summary],
    };

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

    private sealed class InformationSink(AgentJob job, string source, string[] tags) : IProgress<string>
    {
        public void Report(string value)
        {
            var record = new InformationRecord(value, source);
            foreach (var tag in tags)
            {
                record.Tags.Add(tag);
            }

            job.Information.Add(record);
        }
    }
}
