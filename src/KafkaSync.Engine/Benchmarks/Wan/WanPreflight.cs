namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>What `bench wan` needs from the machine before it touches anything.</summary>
public static class WanPreflight
{
    /// <summary>Why the benchmark cannot run here, or null when it can.</summary>
    /// <param name="path">The PATH to search for the tools (default: this process's).</param>
    public static string? Problem(string? path = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "bench wan needs Linux (network namespaces, veth and tc).";
        }

        var missing = new[] { "ip", "tc" }.Where(tool => Find(tool, path ?? Environment.GetEnvironmentVariable("PATH") ?? "") is null).ToList();
        if (missing.Count > 0)
        {
            return $"bench wan needs {string.Join(" and ", missing.Select(t => $"'{t}'"))} (iproute2) on PATH; install iproute2.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "bench wan must run as root: it creates network namespaces, a veth pair and a tc qdisc.";
        }

        return null;
    }

    private static string? Find(string tool, string path) =>
        path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
}
