using System.Diagnostics;
using System.Text.Json;
using KafkaSync.Engine.Agents;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Agents;

public sealed class AgentRegistryTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ks-agents-" + Guid.NewGuid().ToString("N"));
    private readonly AgentRegistry _registry;

    public AgentRegistryTests() => _registry = new AgentRegistry(_folder);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void A_registered_agent_is_listed_with_this_process_until_its_registration_is_disposed()
    {
        var queue = Path.Combine(_folder, "..", "some-queue");
        using (var registration = _registry.Register(AgentKind.Source, "dc1-to-dc2", queue))
        {
            var entry = Assert.Single(_registry.Entries());
            Assert.Equal("dc1-to-dc2", entry.Name);
            Assert.Equal(AgentKind.Source, entry.Kind);
            Assert.Equal(Path.GetFullPath(queue), entry.Path);
            Assert.Equal(Environment.ProcessId, entry.ProcessId);
            Assert.Equal(Environment.MachineName, entry.MachineName);
            Assert.True(AgentRegistry.IsAlive(entry));
            Assert.True(_registry.Contains(registration.Entry));
        }

        Assert.Empty(_registry.Entries());
    }

    [Fact]
    public void A_name_a_live_agent_holds_gets_the_next_free_suffix()
    {
        using var first = _registry.Register(AgentKind.Receiver, "queue");
        using var second = _registry.Register(AgentKind.Receiver, "queue");
        using var third = _registry.Register(AgentKind.Receiver, "QUEUE");

        Assert.Equal(["queue", "queue-2", "QUEUE-3"], [first.Entry.Name, second.Entry.Name, third.Entry.Name]);
    }

    [Fact]
    public void The_entry_of_a_process_that_ended_reads_as_dead_and_its_name_is_taken_over()
    {
        var (pid, started) = EndedProcess();
        Directory.CreateDirectory(_folder);
        var dead = new AgentEntry { Name = "orders", Kind = AgentKind.Target, ProcessId = pid, ProcessStartedAt = started, MachineName = Environment.MachineName };
        File.WriteAllBytes(Path.Combine(_folder, "orders.json"), JsonSerializer.SerializeToUtf8Bytes(dead, ConfigFile.Json));
        File.WriteAllText(Path.Combine(_folder, "orders.stop"), "left behind");

        Assert.Equal(AgentState.Dead, AgentInfo.Of(_registry, Assert.Single(_registry.Entries())).State);

        using var registration = _registry.Register(AgentKind.Target, "orders");
        Assert.Equal("orders", registration.Entry.Name);
        Assert.Equal(Environment.ProcessId, Assert.Single(_registry.Entries()).ProcessId);
        // The dead owner's stop request is gone with it: it must not stop the new agent.
        Assert.False(_registry.IsStopRequested("orders"));
    }

    [Fact]
    public async Task A_stop_request_fires_the_registrations_token_and_waiting_ends_once_the_entry_is_removed()
    {
        var registration = _registry.Register(AgentKind.TsdbCluster, "tsdb", url: new Uri("http://127.0.0.1:8089/"));
        var entry = registration.Entry;
        Assert.False(registration.StopRequested.IsCancellationRequested);
        Assert.Equal(AgentState.Running, AgentInfo.Of(_registry, entry).State);

        _registry.RequestStop(entry);

        Assert.Equal(AgentState.Stopping, AgentInfo.Of(_registry, entry).State);
        var stopped = new TaskCompletionSource();
        await using var _ = registration.StopRequested.Register(stopped.SetResult);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(await _registry.WaitUntilGoneAsync(entry, TimeSpan.FromMilliseconds(300)));

        registration.Dispose();

        Assert.True(await _registry.WaitUntilGoneAsync(entry, TimeSpan.FromSeconds(10)));
        Assert.Equal(AgentState.Stopped, AgentInfo.Of(_registry, entry).State);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_source_or_target_shows_the_state_and_lag_of_the_snapshot_its_process_wrote()
    {
        var queue = Path.Combine(_folder, "queue");
        Directory.CreateDirectory(queue);
        using var registration = _registry.Register(AgentKind.Target, "t", queue);

        Assert.Equal(AgentState.Starting, AgentInfo.Of(_registry, registration.Entry).State);

        var status = AgentLiveness.Stamp(new AgentStatus { Role = "target", Name = "t", State = AgentState.Running, LagRecords = 42, StartedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
        AgentStatusFile.Write(queue, status);
        var info = AgentInfo.Of(_registry, registration.Entry);

        Assert.Equal(AgentState.Running, info.State);
        Assert.Equal(42, info.LagRecords);
        Assert.Equal("t", info.Status!.Name);
    }

    [Fact]
    public void A_snapshot_left_by_an_earlier_run_is_not_taken_for_the_registered_one()
    {
        var queue = Path.Combine(_folder, "queue");
        Directory.CreateDirectory(queue);
        var earlier = AgentLiveness.Stamp(new AgentStatus { Role = "source", Name = "s", State = AgentState.Stopped, StartedAt = DateTimeOffset.UtcNow.AddHours(-1), UpdatedAt = DateTimeOffset.UtcNow.AddHours(-1) });
        AgentStatusFile.Write(queue, earlier);

        using var registration = _registry.Register(AgentKind.Source, "s", queue);

        var info = AgentInfo.Of(_registry, registration.Entry);
        Assert.Equal(AgentState.Starting, info.State);
        Assert.Null(info.Status);
    }

    [Fact]
    public void A_registry_that_cannot_be_written_leaves_the_agent_running_unlisted_and_says_why()
    {
        Directory.CreateDirectory(_folder);
        var aFile = Path.Combine(_folder, "a-file");
        File.WriteAllText(aFile, "not a folder");
        var registry = new AgentRegistry(Path.Combine(aFile, "agents"));

        using var registration = registry.Register(AgentKind.Source, "s");

        Assert.Contains(AgentRegistry.FolderVariable, registration.Problem, StringComparison.Ordinal);
        Assert.Equal("s", registration.Entry.Name);
        Assert.False(registration.StopRequested.IsCancellationRequested);
        Assert.Empty(registry.Entries());
    }

    [Theory]
    [InlineData("dc1-to-dc2", "dc1-to-dc2")]
    [InlineData("a/b\\c:d", "a_b_c_d")]
    [InlineData("..", "agent")]
    [InlineData("orders v2", "orders_v2")]
    public void Names_become_file_names_on_every_platform(string name, string expected) =>
        Assert.Equal(expected, AgentRegistry.Sanitize(name));

    [Fact]
    public void The_environment_variable_moves_the_current_users_registry()
    {
        var before = Environment.GetEnvironmentVariable(AgentRegistry.FolderVariable);
        try
        {
            Environment.SetEnvironmentVariable(AgentRegistry.FolderVariable, _folder);
            Assert.Equal(Path.GetFullPath(_folder), AgentRegistry.ForCurrentUser().Folder);
            Environment.SetEnvironmentVariable(AgentRegistry.FolderVariable, null);
            Assert.EndsWith(Path.Combine("kafkasync", "agents"), AgentRegistry.ForCurrentUser().Folder, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AgentRegistry.FolderVariable, before);
        }
    }

    /// <summary>A real process that ran and ended: its id and start time.</summary>
    private static (int Pid, DateTimeOffset Started) EndedProcess()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "0.2") { UseShellExecute = false })!;
        var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        process.WaitForExit();
        return (process.Id, started);
    }
}
