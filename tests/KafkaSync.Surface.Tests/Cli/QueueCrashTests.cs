using System.Diagnostics;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Surface.Tests.Cli;

public sealed class QueueCrashTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ksq-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_writer_killed_mid_append_leaves_a_queue_that_opens_with_every_record_whole_once_and_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using (var writer = HostProcess.Start("queue", "demo", "--path", _dir, "--records", "10000000"))
        {
            // Kill it (SIGKILL, no clean shutdown) once it has rolled a few 4 MiB segments.
            while (!Directory.Exists(_dir) || Directory.GetFiles(_dir, "*.seg").Length < 3)
            {
                if (writer.HasExited)
                {
                    Assert.Fail("the demo ended before it could be killed: " + await writer.StandardError.ReadToEndAsync(timeout.Token));
                }

                await Task.Delay(20, timeout.Token);
            }

            writer.Kill();
            await writer.WaitForExitAsync(timeout.Token);
        }

        await using var queue = DiskQueue.Open(new DiskQueueOptions { Path = _dir, SegmentBytes = 4L << 20 });
        Assert.True(queue.NextSeq > 1000, $"only {queue.NextSeq - 1} records survived");
        using var reader = queue.OpenReader(1);
        var expected = 1L;
        while (reader.TryRead(out var record))
        {
            Assert.Equal(expected, record.Seq);

            // The demo's record n (seq n + 1) is partition n % 4, offset n / 4.
            var kafka = KafkaRecordSerializer.Deserialize(record.Payload.Span);
            Assert.Equal((expected - 1) % 4, kafka.Partition);
            Assert.Equal((expected - 1) / 4, kafka.Offset);
            expected++;
        }

        Assert.Equal(queue.NextSeq, expected);
        Assert.Equal(queue.NextSeq, await queue.AppendAsync(new byte[] { 1 }, timeout.Token));
    }
}
