using System.Diagnostics;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`bench wan` refuses clearly, before touching the network, when it cannot run.</summary>
public sealed class BenchWanCommandTests : IDisposable
{
    private readonly string _emptyPath = Directory.CreateTempSubdirectory("ks-wan-path-").FullName;

    public void Dispose() => Directory.Delete(_emptyPath, recursive: true);

    [Fact]
    public async Task Bench_wan_with_a_cap_out_of_range_names_the_option()
    {
        var result = await HostProcess.RunAsync("bench", "wan", "--mbit", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--mbit", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_wan_with_too_many_records_for_the_embedded_cluster_says_why()
    {
        var result = await HostProcess.RunAsync("bench", "wan", "--records", "1000000");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--records", result.Err, StringComparison.Ordinal);
        Assert.Contains("5 MiB per partition", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_wan_with_no_rounds_names_the_option()
    {
        var result = await HostProcess.RunAsync("bench", "wan", "--rounds", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--rounds", result.Err, StringComparison.Ordinal);
        Assert.Contains("1 to 10", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_wan_without_ip_and_tc_refuses_and_names_them()
    {
        var result = await RunAsync(["PATH=" + _emptyPath], []);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'ip' and 'tc'", result.Err, StringComparison.Ordinal);
        Assert.Contains("iproute2", result.Err, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Bench_wan_as_an_ordinary_user_refuses_and_asks_for_root()
    {
        // Run as root (as on the build machines), the host is started as "nobody" through setpriv.
        string[] prefix = Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : [];
        if (prefix.Length > 0 && !File.Exists("/usr/bin/setpriv"))
        {
            return;
        }

        var result = await RunAsync(["HOME=" + _emptyPath, "DOTNET_CLI_HOME=" + _emptyPath], prefix);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("must run as root", result.Err, StringComparison.Ordinal);
    }

    private static async Task<HostProcess.Result> RunAsync(string[] environment, string[] prefix)
    {
        var dotnet = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(dotnet) != "dotnet")
        {
            dotnet = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "dotnet");
        }

        string[] command = [.. prefix, dotnet, Path.Combine(AppContext.BaseDirectory, "kafkasync.dll"), "bench", "wan", "--records", "20000"];
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var pair in environment)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            info.Environment[pair[..eq]] = pair[(eq + 1)..];
        }

        using var process = Process.Start(info)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        await process.WaitForExitAsync(limit.Token);
        return new HostProcess.Result(process.ExitCode, await stdout, await stderr);
    }
}
