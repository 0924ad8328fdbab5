using System.Net;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Link;
using KafkaSync.Engine.Queue;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Tests.Link;

/// <summary>
/// Two real disk queues in a temp folder, a receiver listening on a free loopback port for the
/// target queue, and helpers to fill the source, run senders and compare the queues record by record.
/// </summary>
internal sealed class LinkFixture : IAsyncDisposable
{
    public static readonly LinkKey Key = LinkKey.FromText("correct horse battery staple 42, link");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ks-link-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _receiverStop = new();
    private Task? _receiverRun;

    public LinkFixture(LinkReceiverOptions? receiverOptions = null, FsyncPolicy fsync = FsyncPolicy.EachCommit, long segmentBytes = 1 << 20, long targetCapacityBytes = 8L << 30)
    {
        Directory.CreateDirectory(_root);
        Source = DiskQueue.Open(new DiskQueueOptions { Path = Path.Combine(_root, "source"), SegmentBytes = segmentBytes, Fsync = fsync });
        Target = DiskQueue.Open(new DiskQueueOptions { Path = Path.Combine(_root, "target"), SegmentBytes = segmentBytes, Fsync = fsync, CapacityBytes = targetCapacityBytes });
        ReceiverOptions = receiverOptions ?? new LinkReceiverOptions
        {
            Listen = "127.0.0.1:0",
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        };
    }

    public DiskQueue Source { get; private set; }

    public string SourcePath => Path.Combine(_root, "source");

    /// <summary>Closes the source queue, lets <paramref name="damage"/> work on its folder (a repair needs the queue closed), and opens it again.</summary>
    public async Task<T> WithSourceClosedAsync<T>(Func<string, T> damage)
    {
        var options = Source.Options;
        await Source.DisposeAsync();
        var result = damage(SourcePath);
        Source = DiskQueue.Open(options);
        return result;
    }

    public DiskQueue Target { get; }

    public LinkReceiverOptions ReceiverOptions { get; }

    public ListLogger ReceiverLog { get; } = new();

    public ListLogger SenderLog { get; } = new();

    public LinkReceiver? Receiver { get; private set; }

    public string Root => _root;

    public IPEndPoint ReceiverEndpoint => Receiver!.LocalEndpoint!;

    public string ReceiverAddress => $"127.0.0.1:{ReceiverEndpoint.Port}";

    public LinkReceiver StartReceiver()
    {
        Receiver = new LinkReceiver(Target, ReceiverOptions, Key, ReceiverLog);
        Receiver.Start();
        _receiverRun = Receiver.RunAsync(_receiverStop.Token);
        return Receiver;
    }

    public LinkSenderOptions SenderOptions(string target) => new()
    {
        Target = target,
        SourceId = "test-source",
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
        Frames = new FrameOptions { TargetFrameBytes = 32 << 10, MaxFrameDelay = TimeSpan.FromMilliseconds(2) },
    };

    /// <summary>A deterministic, realistic record payload for seq-ish index <paramref name="i"/>.</summary>
    public static byte[] Payload(int i) => KafkaRecordSerializer.Serialize(new KafkaRecord
    {
        Topic = "orders." + (i % 3),
        Partition = i % 4,
        Offset = i / 4,
        Timestamp = 1_700_000_000_000 + (i * 7L),
        Key = System.Text.Encoding.UTF8.GetBytes("customer-" + (i % 97)),
        Value = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"status\":\"{(i % 5 == 0 ? "shipped" : "pending")}\",\"amount\":{i * 13 % 1000}.{i % 100:00},\"note\":\"order number {i} for customer {i % 97}\"}}"),
        Headers = [new KafkaHeader("trace", [(byte)i, (byte)(i >> 8)])],
    });

    /// <summary>Appends records <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1 to the source and commits.</summary>
    public async Task FillSourceAsync(int from, int count, CancellationToken ct)
    {
        var batch = new List<ReadOnlyMemory<byte>>();
        for (var i = from; i < from + count; i++)
        {
            batch.Add(Payload(i));
            if (batch.Count == 500)
            {
                await Source.AppendBatchAsync(batch, ct);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await Source.AppendBatchAsync(batch, ct);
        }

        await Source.CommitAsync(ct);
    }

    /// <summary>Waits until the target holds every durable record of the source.</summary>
    public async Task WaitForTargetAsync(long lastSeq, CancellationToken ct)
    {
        while (Target.DurableSeq < lastSeq)
        {
            await Task.Delay(10, ct);
        }
    }

    /// <summary>
    /// Asserts the target holds exactly seqs 1..<paramref name="last"/>, each with the payload the
    /// source was given for that seq (the source itself may have retired acknowledged segments):
    /// no gap, no duplicate, no damage.
    /// </summary>
    public void AssertSameRecords(long last)
    {
        Assert.Equal(last + 1, Target.NextSeq);
        using var target = Target.OpenReader(1);
        for (long seq = 1; seq <= last; seq++)
        {
            Assert.True(target.TryRead(out var t), $"target lacks seq {seq}");
            Assert.Equal(seq, t.Seq);
            Assert.True(t.Payload.Span.SequenceEqual(Payload((int)seq)), $"payload of seq {seq} differs from what the source was given");
        }

        Assert.False(target.TryRead(out _), "the target holds more records than the source sent");
    }

    public async ValueTask DisposeAsync()
    {
        await _receiverStop.CancelAsync();
        if (_receiverRun is not null)
        {
            await _receiverRun.WaitAsync(TimeSpan.FromSeconds(20));
        }

        await Source.DisposeAsync();
        await Target.DisposeAsync();
        _receiverStop.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
