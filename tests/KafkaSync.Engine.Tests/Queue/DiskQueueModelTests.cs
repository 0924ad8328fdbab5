using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>Random append/commit/read/ack/reopen sequences checked against a list of payloads.</summary>
public sealed class DiskQueueModelTests
{
    private enum Op
    {
        Append,
        Commit,
        Read,
        Ack,
        Reopen,
        ReadFromRandomSeq,
    }

    [Fact]
    public void Random_operation_sequences_behave_like_a_simple_list()
    {
        var op =
            from kind in Gen.Elements(Op.Append, Op.Append, Op.Append, Op.Commit, Op.Read, Op.Read, Op.Ack, Op.Reopen, Op.ReadFromRandomSeq)
            from arg in Gen.Choose(0, 400)
            select (kind, arg);
        var scenario =
            from fsync in Gen.Elements(FsyncPolicy.EachCommit, FsyncPolicy.Interval, FsyncPolicy.Never)
            from ops in Gen.ArrayOf(op)
            select (fsync, ops);

        Prop.ForAll(scenario.ToArbitrary(), s => Run(s.fsync, s.ops))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    private static bool Run(FsyncPolicy fsync, (Op Kind, int Arg)[] ops)
    {
        using var dir = new QueueTestDir();
        var options = dir.Options(segmentBytes: 8192, capacityBytes: 1 << 30, fsync: fsync) with { FsyncInterval = TimeSpan.FromMilliseconds(5) };
        var ct = QueueTestDir.Timeout();
        var model = new List<byte[]>(); // model[i] has seq i + 1
        long cursor = 0;
        var queue = DiskQueue.Open(options);
        var reader = queue.OpenReader(1);
        try
        {
            foreach (var (kind, arg) in ops)
            {
                switch (kind)
                {
                    case Op.Append:
                        var batch = Enumerable.Range(0, 1 + (arg % 7)).Select(i => QueueTestDir.PayloadFor(model.Count + i + 1, (arg * (i + 3)) % 700)).ToList();
                        var last = queue.AppendBatchAsync(batch.Select(b => (ReadOnlyMemory<byte>)b).ToList(), ct).AsTask().GetAwaiter().GetResult();
                        model.AddRange(batch);
                        Assert.Equal(model.Count, last);
                        break;
                    case Op.Commit:
                        Assert.Equal(model.Count, queue.CommitAsync(ct).AsTask().GetAwaiter().GetResult());
                        break;
                    case Op.Read:
                        for (var n = 0; n < arg && reader.TryRead(out var record); n++)
                        {
                            Assert.True(record.Seq <= queue.DurableSeq);
                            Assert.Equal(model[(int)record.Seq - 1], record.Payload.ToArray());
                        }

                        break;
                    case Op.Ack:
                        cursor = reader.NextSeq - 1;
                        queue.SetCursor("consumer", cursor);
                        Assert.Equal(cursor, queue.GetCursor("consumer"));
                        break;
                    case Op.Reopen:
                        reader.Dispose();
                        queue.Dispose();
                        queue = DiskQueue.Open(options);
                        Assert.Equal(model.Count, queue.DurableSeq);
                        Assert.Equal(cursor, queue.GetCursor("consumer"));
                        reader = queue.OpenReader(cursor + 1);
                        break;
                    case Op.ReadFromRandomSeq:
                        var from = queue.FirstSeq + (arg % (queue.NextSeq - queue.FirstSeq + 1));
                        using (var probe = queue.OpenReader(from))
                        {
                            if (from <= queue.DurableSeq)
                            {
                                Assert.True(probe.TryRead(out var first));
                                Assert.Equal(from, first.Seq);
                                Assert.Equal(model[(int)from - 1], first.Payload.ToArray());
                            }
                        }

                        break;
                }

                Assert.Equal(model.Count + 1, queue.NextSeq);
                Assert.InRange(queue.FirstSeq, 1, cursor + 1); // retention never passes the cursor
            }

            // Everything retained reads back exactly.
            queue.CommitAsync(ct).AsTask().GetAwaiter().GetResult();
            var all = QueueTestDir.ReadAll(queue, queue.FirstSeq);
            Assert.Equal(Enumerable.Range((int)queue.FirstSeq, model.Count - (int)queue.FirstSeq + 1).Select(i => (long)i), all.Select(r => r.Seq));
            Assert.All(all, r => Assert.Equal(model[(int)r.Seq - 1], r.Payload.ToArray()));
            return true;
        }
        finally
        {
            reader.Dispose();
            queue.Dispose();
        }
    }
}
