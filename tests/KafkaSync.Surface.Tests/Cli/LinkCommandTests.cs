using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Surface.Tests.Cli;

/// <summary>`kafkasync link send|receive` as separate processes moving a real queue.</summary>
public sealed class LinkCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ks-cli-link-" + Guid.NewGuid().ToString("N"));

    public LinkCommandTests() => Directory.CreateDirectory(_root);

    [Fact]
    public async Task Send_and_receive_processes_move_every_record_and_report_status_as_json()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var keyFile = Path.Combine(_root, "link.key");
        await File.WriteAllTextAsync(keyFile, "a pre-shared key of decent length\n", timeout.Token);
        var source = Path.Combine(_root, "source");
        var target = Path.Combine(_root, "target");
        await using (var queue = DiskQueue.Open(new DiskQueueOptions { Path = source }))
        {
            await queue.AppendBatchAsync(Enumerable.Range(1, 5_000).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i * 31L)).ToList(), timeout.Token);
            await queue.CommitAsync(timeout.Token);
        }

        var port = FreePort();
        using var receiver = Start("link", "receive", "--queue", target, "--listen", $"127.0.0.1:{port}", "--key-file", keyFile);
        try
        {
            await WaitForPortAsync(port, timeout.Token);
            using var sender = Start("link", "send", "--queue", source, "--target", $"127.0.0.1:{port}", "--key-file", keyFile, "--until-caught-up");
            var output = await sender.StandardOutput.ReadToEndAsync(timeout.Token);
            await sender.WaitForExitAsync(timeout.Token);

            Assert.True(sender.ExitCode == 0, await sender.StandardError.ReadToEndAsync(timeout.Token));
            using var status = JsonDocument.Parse(output);
            Assert.Equal(5_000, status.RootElement.GetProperty("ackedSeq").GetInt64());
            Assert.Equal(5_000, status.RootElement.GetProperty("records").GetInt64());
        }
        finally
        {
            receiver.Kill(entireProcessTree: true);
            await receiver.WaitForExitAsync(timeout.Token);
        }

        var records = DiskQueue.Peek(target, 1, 10_000);
        Assert.Equal(5_000, records.Count);
        Assert.All(records, r => Assert.Equal(r.Seq * 31L, BitConverter.ToInt64(r.Payload.Span)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task New_key_writes_an_owner_only_key_file_that_send_and_receive_accept_and_refuses_to_replace_it()
    {
        var keyFile = Path.Combine(_root, "new.key");
        var made = await HostProcess.RunAsync("link", "new-key", "--out", keyFile);
        Assert.Equal(0, made.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile).Trim()).Length);
        Assert.DoesNotContain(File.ReadAllText(keyFile).Trim(), made.Out + made.Err, StringComparison.Ordinal);

        var again = await HostProcess.RunAsync("link", "new-key", "--out", keyFile);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already exists", again.Err, StringComparison.Ordinal);

        var printed = await HostProcess.RunAsync("link", "new-key");
        Assert.Equal(0, printed.ExitCode);
        Assert.Equal(32, Convert.FromBase64String(printed.Out.Trim()).Length);
    }

    [Fact]
    public async Task A_weak_key_file_is_refused_with_exit_2_and_the_way_to_make_a_good_one()
    {
        var keyFile = Path.Combine(_root, "weak.key");
        await File.WriteAllTextAsync(keyFile, new string('a', 40));
        var result = await HostProcess.RunAsync("link", "receive", "--queue", Path.Combine(_root, "target"), "--listen", "127.0.0.1:0", "--key-file", keyFile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("too easy to guess", result.Err, StringComparison.Ordinal);
        Assert.Contains("kafkasync link new-key", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_with_the_wrong_key_exits_1_naming_the_authentication_failure()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var rightKey = Path.Combine(_root, "right.key");
        var wrongKey = Path.Combine(_root, "wrong.key");
        await File.WriteAllTextAsync(rightKey, "the receiver's pre-shared key, long enough", timeout.Token);
        await File.WriteAllTextAsync(wrongKey, "some other pre-shared key, also long enough", timeout.Token);
        var port = FreePort();
        using var receiver = Start("link", "receive", "--queue", Path.Combine(_root, "target"), "--listen", $"127.0.0.1:{port}", "--key-file", rightKey);
        try
        {
            await WaitForPortAsync(port, timeout.Token);
            using var sender = Start("link", "send", "--queue", Path.Combine(_root, "source"), "--target", $"127.0.0.1:{port}", "--key-file", wrongKey, "--until-caught-up");
            var error = await sender.StandardError.ReadToEndAsync(timeout.Token);
            await sender.WaitForExitAsync(timeout.Token);

            Assert.Equal(1, sender.ExitCode);
            Assert.Contains("link failed (Authentication)", error, StringComparison.Ordinal);
        }
        finally
        {
            receiver.Kill(entireProcessTree: true);
            await receiver.WaitForExitAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task Send_without_a_key_source_fails_with_a_clear_message_and_exit_code_2()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var sender = Start("link", "send", "--queue", Path.Combine(_root, "q"), "--target", "127.0.0.1:9");
        var error = await sender.StandardError.ReadToEndAsync(timeout.Token);
        await sender.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, sender.ExitCode);
        Assert.Contains("--key-file FILE or --key-env VARIABLE", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Process Start(params string[] args) => HostProcess.Start(args);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
    }
}
