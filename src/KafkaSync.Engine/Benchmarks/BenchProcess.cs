using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace KafkaSync.Engine.Benchmarks;

/// <summary>
/// A child process of a benchmark (a site, an agent, a cluster): its stdout lines, its stdin for
/// commands, and its processor time and resident memory read from /proc. The process id must be
/// the measured process: `ip netns exec` and the `dotnet` host both exec or host in place.
/// </summary>
internal sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _errors = new();

    private BenchProcess(string name, Process process, string? stderrFile)
    {
        Name = name;
        _process = process;
        var log = stderrFile is null ? null : TextWriter.Synchronized(new StreamWriter(stderrFile, append: true) { AutoFlush = true });
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
            if (e.Data is null)
            {
                log?.Dispose();
            }
            else
            {
                log?.WriteLine(e.Data);
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

    /// <summary>Starts <paramref name="command"/> (program first, then its arguments); its whole stderr is also appended to <paramref name="stderrFile"/> if given.</summary>
    public static BenchProcess Start(string name, IEnumerable<string> command, string? stderrFile = null)
    {
        var words = command.ToList();
        var start = new ProcessStartInfo(words[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in words.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        return new BenchProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"cannot start the {name} process"), stderrFile);
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

    /// <summary>Sends a POSIX signal (see <see cref="ProcessSignal"/>).</summary>
    public void Signal(int signal) => ProcessSignal.Send(_process.Id, signal);

    /// <summary>Asks the process to stop (SIGTERM) and waits up to <paramref name="timeout"/>; kills it if it did not end by then.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signal(ProcessSignal.Term);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

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

    /// <summary>The part of <see cref="RssBytes"/> that is file pages mapped into the process (RssFile: its libraries and any mapped files), in bytes.</summary>
    public long RssFileBytes() => StatusKilobytes("RssFile:") * 1024;

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
