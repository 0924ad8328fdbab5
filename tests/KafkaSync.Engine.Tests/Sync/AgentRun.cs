using System.Net;
using System.Net.Sockets;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Engine.Tests.Sync;

/// <summary>A running agent and the means to stop it.</summary>
internal sealed class AgentRun : IDisposable
{
    private readonly CancellationTokenSource _stop;

    private AgentRun(Task<AgentStatus> run, CancellationTokenSource stop, Func<AgentStatus> status)
    {
        Run = run;
        _stop = stop;
        StatusOf = status;
    }

    public Task<AgentStatus> Run { get; }

    public Func<AgentStatus> StatusOf { get; }

    public static async Task<(AgentRun Run, int Port)> StartTargetAsync(TargetAgentOptions options, CancellationToken ct, IProgress<string>? log = null)
    {
        var agent = new TargetAgent(options, log);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = agent.RunAsync(stop.Token);
        var endpoint = await agent.Listening.WaitAsync(ct);
        return (new AgentRun(run, stop, () => agent.Status), endpoint.Port);
    }

    public static AgentRun StartSource(SourceAgentOptions options, CancellationToken ct)
    {
        var agent = new SourceAgent(options);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new AgentRun(agent.RunAsync(stop.Token), stop, () => agent.Status);
    }

    public async Task<AgentStatus> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run;
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; the token bounds the wait.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(50, ct);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
