using System.Diagnostics;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

public sealed class AgentLivenessTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void A_running_agent_of_this_process_reads_as_running()
    {
        var status = AgentLiveness.Stamp(Running());

        Assert.Equal(AgentState.Running, AgentLiveness.Judge(status, Now).State);
    }

    [Fact]
    public void A_running_agent_whose_process_ended_reads_as_dead()
    {
        var (pid, started) = EndedProcess();
        var status = Running() with { ProcessId = pid, ProcessStartedAt = started, MachineName = Environment.MachineName };

        var judged = AgentLiveness.Judge(status, Now);

        Assert.Equal(AgentState.Dead, judged.State);
        Assert.Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), judged.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_process_id_reused_by_a_later_process_does_not_keep_the_agent_alive()
    {
        // This process runs, but it is not the one that started an hour before it.
        var status = AgentLiveness.Stamp(Running()) with { ProcessStartedAt = AgentLiveness.ProcessStartedAt!.Value.AddHours(-1) };

        Assert.Equal(AgentState.Dead, AgentLiveness.Judge(status, Now).State);
    }

    [Fact]
    public void A_stopped_or_failed_agent_keeps_its_state_whatever_became_of_its_process()
    {
        var (pid, started) = EndedProcess();
        foreach (var state in new[] { AgentState.Stopped, AgentState.Failed })
        {
            var status = Running() with { State = state, ProcessId = pid, ProcessStartedAt = started, MachineName = Environment.MachineName };
            Assert.Equal(state, AgentLiveness.Judge(status, Now).State);
        }
    }

    [Fact]
    public void An_agent_on_another_machine_is_judged_by_the_age_of_its_snapshot()
    {
        var remote = Running() with { MachineName = "another-machine-" + Guid.NewGuid().ToString("N"), ProcessId = 1 };

        Assert.Equal(AgentState.Running, AgentLiveness.Judge(remote with { UpdatedAt = Now.AddSeconds(-5) }, Now).State);
        Assert.Equal(AgentState.Dead, AgentLiveness.Judge(remote with { UpdatedAt = Now - AgentLiveness.Lease - TimeSpan.FromSeconds(1) }, Now).State);
    }

    [Fact]
    public void Reading_the_status_file_of_a_killed_agent_gives_dead()
    {
        var folder = Directory.CreateTempSubdirectory("ks-liveness-").FullName;
        try
        {
            var (pid, started) = EndedProcess();
            AgentStatusFile.Write(folder, Running() with { ProcessId = pid, ProcessStartedAt = started, MachineName = Environment.MachineName });

            Assert.Equal(AgentState.Dead, AgentStatusFile.Read(folder).State);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static AgentStatus Running() => new() { Role = "source", Name = "a", State = AgentState.Running, UpdatedAt = Now };

    /// <summary>A real process that ran and ended: its id and start time.</summary>
    private static (int Pid, DateTimeOffset Started) EndedProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "0.2") { UseShellExecute = false })!;
        var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        process.WaitForExit();
        return (process.Id, started);
    }
}
