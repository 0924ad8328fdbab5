using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace KafkaSync.Engine.Benchmarks.Wan;

/// <summary>
/// A process of `bench wan` started inside a site's namespace with `ip netns exec` (which execs,
/// so the process id is the measured process): its stdout lines, its stdin for commands, and its
/// processor time and peak resident memory read from /proc.
/// </summary>
internal sealed class WanChild : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _errors = new();

    private WanChild(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    // Only the tail matters for a failure message.
                    if (_errors.Length > 4000)
                    {
                        _errors.Remove(0, 2000);
                    }

                    _errors.AppendLine(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>Starts <paramref name="command"/> in <paramref name="ns"/>.</summary>
    public static WanChild Start(string name, string ns, IEnumerable<string> command)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in WanNetwork.InNamespace(ns, command))
        {
            start.ArgumentList.Add(arg);
        }

        return new WanChild(name, Process.Start(start) ?? throw new InvalidOperationException($"cannot start the {name} process"));
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next stdout line; fails with the process's stderr if it ended first.</summary>
    public async Task<string> ReadLineAsync(CancellationToken ct)
    {
        if (await _lines.Reader.WaitToReadAsync(ct) && _lines.Reader.TryRead(out var line))
        {
            if (line.StartsWith("error ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{Name}: {line[6..]}");
            }

            return line;
        }

        await _process.WaitForExitAsync(ct);
        throw new InvalidOperationException($"the {Name} process ended (exit {_process.ExitCode}): {Errors()}");
    }

    /// <summary>Sends a command and returns its one-line answer.</summary>
    public async Task<string> AskAsync(string command, CancellationToken ct)
    {
        await SendAsync(command);
        return await ReadLineAsync(ct);
    }

    public bool HasExited => _process.HasExited;

    public string Errors()
    {
        lock (_errors)
        {
            return _errors.ToString().Trim();
        }
    }

    /// <summary>User plus system processor time so far.</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            // Fields after the command name (which may hold spaces) start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0;
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>The most resident memory the process has had (VmHWM), in bytes.</summary>
    public long PeakRssBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Resident memory now (VmRSS), in bytes.</summary>
    public long RssBytes() => StatusKilobytes("VmRSS:") * 1024;

    private long StatusKilobytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
        }

        return 0;
    }

    /// <summary>Ends the process (and anything it started) and waits for it.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
