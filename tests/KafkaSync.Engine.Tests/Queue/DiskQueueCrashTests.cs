using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Queue;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>Crash simulation: files cut at random offsets and random bytes flipped.</summary>
public sealed class DiskQueueCrashTests
{
    private const int RecordSize = 150;
    private const int FrameSize = RecordSize + 28;

    [Fact]
    public void Reopen_after_a_torn_tail_keeps_every_whole_record()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            using var dir = new QueueTestDir();
            Fill(dir, 400);
            var tail = dir.SegmentFiles()[^1];
            var tailFirst = FirstSeqOf(tail);
            var length = new FileInfo(tail).Length;
            var cut = new Random(seed).NextInt64(0, length);
            using (var file = File.OpenHandle(tail, FileMode.Open, FileAccess.ReadWrite))
            {
                RandomAccess.SetLength(file, cut);
            }

            var whole = cut / FrameSize;
            using var queue = DiskQueue.Open(dir.Options());
            Assert.Equal(tailFirst + whole, queue.NextSeq);
            Assert.Equal(cut - (whole * FrameSize), queue.RecoveredTornBytes);
            var records = QueueTestDir.ReadAll(queue, 1);
            Assert.Equal(tailFirst + whole - 1, records.Count);
            Assert.All(records, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, RecordSize), r.Payload.ToArray()));

            // Appends continue right after the last whole record.
            var seq = queue.AppendAsync(new byte[] { 42 }, QueueTestDir.Timeout()).AsTask().GetAwaiter().GetResult();
            Assert.Equal(tailFirst + whole, seq);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    [Fact]
    public void A_flipped_byte_anywhere_in_committed_data_is_never_served_and_is_reported_with_its_place()
    {
        Prop.ForAll(Gen.Choose(0, 1_000_000).ToArbitrary(), seed =>
        {
            using var dir = new QueueTestDir();
            Fill(dir, 400);
            var random = new Random(seed);
            var segments = dir.SegmentFiles();

            // Any record but those of the very last commit, which a torn write could also explain.
            var victim = random.NextInt64(1, 400 - 10 + 1);
            var segment = segments.Last(s => FirstSeqOf(s) <= victim);
            var position = (victim - FirstSeqOf(segment)) * FrameSize;
            var flipAt = position + random.Next(0, FrameSize);
            FlipByte(segment, flipAt, (byte)(1 << random.Next(8)));

            var served = new List<QueueRecord>();
            QueueCorruptException ex;
            try
            {
                using var queue = DiskQueue.Open(dir.Options());
                using var reader = queue.OpenReader(1);
                ex = Assert.Throws<QueueCorruptException>(() =>
                {
                    while (reader.TryRead(out var record))
                    {
                        served.Add(record);
                    }
                });
            }
            catch (QueueCorruptException openFailure)
            {
                // Damage in the tail segment is found when the queue opens.
                Assert.Equal(segments[^1], segment);
                ex = openFailure;
            }

            Assert.Equal(segment, ex.Segment);
            Assert.Equal(position, ex.Position);
            Assert.Equal(victim, ex.Seq);
            Assert.All(served, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, RecordSize), r.Payload.ToArray()));
            Assert.True(served.Count == 0 || served[^1].Seq == victim - 1);

            // Peek from another handle agrees and serves nothing past the damage either.
            Assert.Throws<QueueCorruptException>(() => DiskQueue.Peek(dir.Path, 1, 1000));

            // Repair moves the segment aside and loses exactly the damaged record.
            var repair = DiskQueue.Repair(dir.Path, whatIf: false);
            Assert.Equal(victim, Assert.Single(repair.Problems).Seq);
            Assert.Equal(new QueueSeqRange(victim, victim), Assert.Single(repair.LostSeqs));
            Assert.True(File.Exists(Assert.Single(repair.Quarantined)));
            using (var queue = DiskQueue.Open(dir.Options()))
            {
                var after = QueueTestDir.ReadAll(queue, queue.FirstSeq); // 2 when seq 1 was the one lost
                Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i).Where(s => s != victim), after.Select(r => r.Seq));
                Assert.All(after, r => Assert.Equal(QueueTestDir.PayloadFor(r.Seq, RecordSize), r.Payload.ToArray()));
                Assert.Equal(401, queue.NextSeq);
            }

            Assert.True(DiskQueue.Repair(dir.Path, whatIf: true).Healthy);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    [Fact]
    public void A_segment_cut_short_before_the_tail_is_reported_not_skipped()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 400);
        var segments = dir.SegmentFiles();
        var victim = segments[1];
        var first = FirstSeqOf(victim);
        var keep = 3;
        using (var file = File.OpenHandle(victim, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(file, keep * FrameSize);
        }

        using (var queue = DiskQueue.Open(dir.Options()))
        {
            using var reader = queue.OpenReader(1);
            var ex = Assert.Throws<QueueCorruptException>(() =>
            {
                while (reader.TryRead(out _))
                {
                }
            });
            Assert.Equal(first + keep, ex.Seq);
            Assert.Contains("next segment starts", ex.Message, StringComparison.Ordinal);
        }

        var whatIf = DiskQueue.Repair(dir.Path, whatIf: true);
        Assert.False(whatIf.Healthy);
        Assert.True(File.Exists(victim), "WhatIf changed nothing");
        var repair = DiskQueue.Repair(dir.Path, whatIf: false);
        Assert.Equal(new QueueSeqRange(first + keep, FirstSeqOf(segments[2]) - 1), Assert.Single(repair.LostSeqs));
        using (var queue = DiskQueue.Open(dir.Options()))
        {
            var after = QueueTestDir.ReadAll(queue, 1);
            Assert.Equal(400 - (FirstSeqOf(segments[2]) - first - keep), after.Count);
        }
    }

    [Fact]
    public void Once_damage_is_met_no_reader_serves_past_it_even_one_opened_beyond_it()
    {
        using var dir = new QueueTestDir();
        Fill(dir, 400);
        var segment = dir.SegmentFiles()[1];
        var victim = FirstSeqOf(segment) + 2;
        FlipByte(segment, (2 * FrameSize) + 40, 0x10);
        using var queue = DiskQueue.Open(dir.Options());
        using (var first = queue.OpenReader(1))
        {
            Assert.Throws<QueueCorruptException>(() =>
            {
                while (first.TryRead(out _))
                {
                }
            });
        }

        using var beyond = queue.OpenReader(victim + 5);
        Assert.Equal(victim, Assert.Throws<QueueCorruptException>(() => beyond.TryRead(out _)).Seq);
        using var before = queue.OpenReader(victim - 1);
        Assert.True(before.TryRead(out var last));
        Assert.Equal(victim - 1, last.Seq);
        Assert.Throws<QueueCorruptException>(() => before.TryRead(out _));
    }

    [Fact]
    public void Repair_refuses_while_the_owner_runs()
    {
        using var dir = new QueueTestDir();
        using var queue = DiskQueue.Open(dir.Options());
        Assert.Throws<QueueLockedException>(() => DiskQueue.Repair(dir.Path, whatIf: false));
        Assert.True(DiskQueue.Repair(dir.Path, whatIf: true).Healthy);
    }

    /// <summary>400 records of 150 bytes in 4 KiB segments, committed in batches of 10.</summary>
    private static void Fill(QueueTestDir dir, int count)
    {
        var ct = QueueTestDir.Timeout();
        using var queue = DiskQueue.Open(dir.Options(segmentBytes: 4096 + (FrameSize * 10)));
        for (var seq = 1; seq <= count; seq++)
        {
            queue.AppendAsync(QueueTestDir.PayloadFor(seq, RecordSize), ct).AsTask().GetAwaiter().GetResult();
            if (seq % 10 == 0)
            {
                queue.CommitAsync(ct).AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static long FirstSeqOf(string segment) => long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);

    private static void FlipByte(string path, long position, byte mask)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        RandomAccess.Read(file, one, position);
        one[0] ^= mask;
        RandomAccess.Write(file, one, position);
    }
}
