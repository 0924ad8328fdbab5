using System.Diagnostics;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>A real full disk: a small tmpfs mounted for the test (the test machines run as root).</summary>
public sealed class DiskQueueFullDiskTests
{
    [Fact]
    public async Task A_full_disk_fails_appends_with_a_clear_error_and_keeps_every_committed_record()
    {
        using var dir = new QueueTestDir();
        var mount = Path.Combine(Path.GetTempPath(), "ksq-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        Run("mount", $"-t tmpfs -o size=512k tmpfs {mount}");
        try
        {
            var ct = QueueTestDir.Timeout();
            var options = new DiskQueueOptions { Path = Path.Combine(mount, "q"), SegmentBytes = 64 * 1024, CapacityBytes = 64L << 20 };
            var committed = 0L;
            QueueException? failure = null;
            await using (var queue = DiskQueue.Open(options))
            {
                try
                {
                    for (var i = 1; i <= 100_000; i++)
                    {
                        await queue.AppendAsync(QueueTestDir.PayloadFor(i, 500), ct);
                        if (i % 20 == 0)
                        {
                            committed = await queue.CommitAsync(ct);
                        }
                    }
                }
                catch (QueueException ex)
                {
                    failure = ex;
                }
            }

            Assert.NotNull(failure);
            Assert.Contains("writer failed", failure.Message, StringComparison.Ordinal);
            Assert.Matches("(?i)no space|disk was full", failure.Message);
            Assert.True(failure.Message.Contains("is full: free space on it", StringComparison.Ordinal), failure.Message);
            Assert.True(committed > 0);

            // With room again, every committed record is there once, in order.
            Run("mount", $"-o remount,size=4m tmpfs {mount}");
            await using (var queue = DiskQueue.Open(options))
            {
                var records = QueueTestDir.ReadAll(queue, 1);
                Assert.True(records.Count >= committed, $"{records.Count} records survived but {committed} were committed");
                Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r.Seq));
                Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, 500), r.Payload.ToArray()));
            }
        }
        finally
        {
            Run("umount", mount);
            Directory.Delete(mount);
        }
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {arguments} failed: {error}");
    }
}
