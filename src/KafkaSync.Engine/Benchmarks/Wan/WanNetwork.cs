using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// The emulated long link: two network namespaces (source site, target site) joined by a veth
/// pair whose both ends are capped by a token-bucket qdisc (`tc qdisc … tbf`). The namespaces
/// carry this process's id in their names, so a later run removes those left by a run that was
/// killed outright; <see cref="Dispose"/> removes them (and the veth pair with them).
/// </summary>
public sealed class WanNetwork : IDisposable
{
    private const string Prefix = "kswan";

    /// <summary>The source site's address on the link.</summary>
    public const string SourceAddress = "10.231.0.1";

    /// <summary>The target site's address on the link.</summary>
    public const string TargetAddress = "10.231.0.2";

    private bool _disposed;

    private WanNetwork(string id, double mbit)
    {
        SourceNamespace = $"{Prefix}-{id}-src";
        TargetNamespace = $"{Prefix}-{id}-dst";
        SourceDevice = $"{Prefix}{id}s";
        TargetDevice = $"{Prefix}{id}t";
        Mbit = mbit;
    }

    /// <summary>The source site's namespace.</summary>
    public string SourceNamespace { get; }

    /// <summary>The target site's namespace.</summary>
    public string TargetNamespace { get; }

    /// <summary>The veth end in the source namespace.</summary>
    public string SourceDevice { get; }

    /// <summary>The veth end in the target namespace.</summary>
    public string TargetDevice { get; }

    /// <summary>The cap of each direction, in Mbit/s.</summary>
    public double Mbit { get; }

    /// <summary>Removes namespaces of earlier runs whose process is gone, then builds a new link.</summary>
    /// <exception cref="InvalidOperationException">A step failed; what was built is removed again.</exception>
    public static WanNetwork Create(double mbit)
    {
        RemoveOrphans();
        var network = new WanNetwork(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), mbit);
        try
        {
            network.Build();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private void Build()
    {
        Ip("netns", "add", SourceNamespace);
        Ip("netns", "add", TargetNamespace);
        Ip("link", "add", SourceDevice, "type", "veth", "peer", "name", TargetDevice);
        Ip("link", "set", SourceDevice, "netns", SourceNamespace);
        Ip("link", "set", TargetDevice, "netns", TargetNamespace);
        foreach (var (ns, device, address) in new[] { (SourceNamespace, SourceDevice, SourceAddress), (TargetNamespace, TargetDevice, TargetAddress) })
        {
            Ip("-n", ns, "link", "set", "lo", "up");
            Ip("-n", ns, "addr", "add", address + "/30", "dev", device);
            Ip("-n", ns, "link", "set", device, "up");

            // The bucket must hold at least one timer tick of traffic or tbf cannot reach its
            // rate; 100 ms of queue is a router's usual buffer, and no added delay below it.
            var rate = Mbit * 1e6 / 8;
            var burst = (long)Math.Max(32 << 10, rate / 100);
            Run("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", device, "root", "tbf",
                "rate", string.Create(CultureInfo.InvariantCulture, $"{Mbit * 1000:0}kbit"),
                "burst", burst.ToString(CultureInfo.InvariantCulture), "latency", "100ms");
        }
    }

    /// <summary>Bytes the link has carried from the source site toward the target site.</summary>
    public long BytesTowardTarget() => TxBytes(SourceNamespace, SourceDevice);

    /// <summary>Bytes the link has carried from the target site toward the source site.</summary>
    public long BytesTowardSource() => TxBytes(TargetNamespace, TargetDevice);

    private static long TxBytes(string ns, string device)
    {
        var json = Run("ip", "-n", ns, "-s", "-j", "link", "show", "dev", device);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement[0].GetProperty("stats64").GetProperty("tx").GetProperty("bytes").GetInt64();
    }

    /// <summary>The command line (program first) that runs <paramref name="command"/> inside <paramref name="ns"/>.</summary>
    public static IReadOnlyList<string> InNamespace(string ns, IEnumerable<string> command) => ["ip", "netns", "exec", ns, .. command];

    /// <summary>Deletes both namespaces; the veth pair goes with them. Never throws.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var ns in new[] { SourceNamespace, TargetNamespace })
        {
            TryRun("ip", "netns", "del", ns);
        }
    }

    private static void RemoveOrphans()
    {
        var list = TryRun("ip", "netns", "list") ?? "";
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            var parts = name.Split('-');
            if (parts.Length == 3 && parts[0] == Prefix && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid) && !Alive(pid))
            {
                TryRun("ip", "netns", "del", name);
            }
        }
    }

    private static bool Alive(int pid) => pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}");

    private static void Ip(params string[] args) => Run("ip", args);

    private static string? TryRun(string file, params string[] args)
    {
        try
        {
            return Run(file, args);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Runs a tool to completion; its stdout, or an exception carrying its stderr.</summary>
    internal static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' failed ({process.ExitCode}): {stderr.Trim()}");
        }

        return stdout.Result;
    }
}
