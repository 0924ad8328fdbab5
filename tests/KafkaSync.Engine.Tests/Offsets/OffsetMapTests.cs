using KafkaSync.Engine.Offsets;

namespace KafkaSync.Engine.Tests.Offsets;

public sealed class OffsetMapTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kafkasync-offsets-").FullName;

    private static Dictionary<(string Topic, int Partition), long> At(long offset) => new() { [("s", 0)] = offset };

    [Fact]
    public void Contiguous_records_make_one_range_and_gaps_start_new_ones()
    {
        using var writer = OffsetMapWriter.Open(_folder, long.MaxValue);
        for (var o = 0; o < 1_000; o++)
        {
            writer.Record("s", 0, o, "t", 0, 100 + o);
        }

        // Source offsets 1000-1002 are a gap (markers, compaction); the target stays contiguous.
        writer.Record("s", 0, 1_003, "t", 0, 1_100);
        writer.Flush(1_001, pending: false);
        var map = writer.Published;
        Assert.Equal(2, map.RangeCount);
        Assert.Equal(1_001, map.RecordCount);
        Assert.Equal(("t", 0, 600L), map.TargetOf("s", 0, 500));
        Assert.Null(map.TargetOf("s", 0, 1_001));
    }

    [Theory]
    [InlineData(0, 100L, TranslationStatus.Exact)]        // nothing consumed
    [InlineData(500, 600L, TranslationStatus.Exact)]
    [InlineData(1_000, 1_100L, TranslationStatus.Exact)]  // in the gap: the next copied record
    [InlineData(1_002, 1_100L, TranslationStatus.Exact)]
    [InlineData(1_004, 1_101L, TranslationStatus.Exact)]  // everything copied was consumed
    [InlineData(1_010, 1_101L, TranslationStatus.CopyBehind)] // consumed beyond the copy: never guessed forward
    public void Translation_resumes_at_the_first_copied_record_not_consumed(long committed, long expected, TranslationStatus status)
    {
        using var writer = OffsetMapWriter.Open(_folder, long.MaxValue);
        for (var o = 0; o < 1_000; o++)
        {
            writer.Record("s", 0, o, "t", 0, 100 + o);
        }

        writer.Record("s", 0, 1_003, "t", 0, 1_100);
        writer.Flush(1, pending: false);
        var result = Assert.Single(writer.Published.Translate(At(committed)));
        Assert.Equal((expected, status), (result.TargetOffset, result.Status));
        Assert.Equal(status == TranslationStatus.CopyBehind ? 6 : 0, result.NotCopied);
    }

    [Fact]
    public void Offsets_before_the_map_or_never_committed_are_not_translated()
    {
        using var writer = OffsetMapWriter.Open(_folder, long.MaxValue);
        writer.Record("s", 0, 50, "t", 0, 0);
        writer.Flush(1, pending: false);
        Assert.Equal(TranslationStatus.BeforeMap, Assert.Single(writer.Published.Translate(At(10))).Status);
        Assert.Null(Assert.Single(writer.Published.Translate(new Dictionary<(string, int), long>())).TargetOffset);
    }

    [Fact]
    public void Two_source_partitions_in_one_target_partition_take_the_earlier_position()
    {
        using var writer = OffsetMapWriter.Open(_folder, long.MaxValue);
        // modulo: s[0] and s[2] interleave in t[0].
        for (var i = 0; i < 10; i++)
        {
            writer.Record("s", 0, i, "t", 0, 2 * i);
            writer.Record("s", 2, i, "t", 0, 2 * i + 1);
        }

        writer.Flush(1, pending: false);
        var result = Assert.Single(writer.Published.Translate(new Dictionary<(string, int), long> { [("s", 0)] = 5, [("s", 2)] = 3 }));
        Assert.Equal((7L, TranslationStatus.Mixed), (result.TargetOffset, result.Status));
    }

    [Fact]
    public void A_record_copied_again_after_a_crash_maps_to_its_last_copy()
    {
        using (var writer = OffsetMapWriter.Open(_folder, long.MaxValue))
        {
            for (var o = 0; o < 10; o++)
            {
                writer.Record("s", 0, o, "t", 0, o);
            }

            writer.Flush(10, pending: false);
            // A restart sends 6..9 again; they land at 10..13, then 10.. follow.
            for (var o = 6; o < 12; o++)
            {
                writer.Record("s", 0, o, "t", 0, o + 4);
            }

            writer.Flush(12, pending: false);
        }

        var map = OffsetMap.Load(_folder);
        Assert.Equal(("t", 0, 5L), map.TargetOf("s", 0, 5));
        Assert.Equal(("t", 0, 10L), map.TargetOf("s", 0, 6));
        Assert.Equal(12, map.RecordCount);
        Assert.Equal(10, Assert.Single(map.Translate(At(6))).TargetOffset);
    }

    [Fact]
    public void A_torn_last_block_is_cut_and_earlier_ones_survive()
    {
        using (var writer = OffsetMapWriter.Open(_folder, long.MaxValue))
        {
            writer.Record("s", 0, 0, "t", 0, 0);
            writer.Flush(1, pending: false);
            writer.Record("s", 0, 1, "t", 0, 1);
            writer.Flush(2, pending: false);
        }

        var path = Path.Combine(_folder, OffsetMap.FileName);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        Assert.Equal(1, OffsetMap.Load(_folder).RecordCount);
        using var reopened = OffsetMapWriter.Open(_folder, long.MaxValue);
        Assert.Equal(1, reopened.Published.RecordCount);
    }

    [Fact]
    public void Pending_changes_count_only_once_their_transaction_committed()
    {
        using (var writer = OffsetMapWriter.Open(_folder, committedSeq: 0))
        {
            writer.Record("s", 0, 0, "t", 0, 0);
            writer.Flush(5, pending: true);
            Assert.Equal(0, writer.Published.RecordCount);
            writer.Committed(5);
            Assert.Equal(1, writer.Published.RecordCount);

            // Aborted: the rollback forgets it.
            writer.Record("s", 0, 1, "t", 0, 1);
            writer.Flush(9, pending: true);
            writer.Rollback(committedSeq: 5);
            Assert.Equal(1, writer.Published.RecordCount);

            // Pending when the agent died: a reader leaves it out; the agent decides by its checkpoint.
            writer.Record("s", 0, 1, "t", 0, 3);
            writer.Flush(9, pending: true);
        }

        Assert.Equal(1, OffsetMap.Load(_folder).RecordCount);
        using (var committed = OffsetMapWriter.Open(_folder, committedSeq: 9))
        {
            Assert.Equal(("t", 0, 3L), committed.Published.TargetOf("s", 0, 1));
        }

        using var again = OffsetMapWriter.Open(_folder, committedSeq: 9);
        Assert.Equal(2, again.Published.RecordCount);
    }

    [Fact]
    public void Pending_block_of_a_transaction_that_never_committed_is_dropped_for_good()
    {
        using (var writer = OffsetMapWriter.Open(_folder, committedSeq: 0))
        {
            writer.Record("s", 0, 0, "t", 0, 0);
            writer.Flush(5, pending: true);
        }

        using (var reopened = OffsetMapWriter.Open(_folder, committedSeq: 4))
        {
            Assert.Equal(0, reopened.Published.RecordCount);
        }

        // The checkpoint later passing seq 5 (other records) must not revive it.
        using var later = OffsetMapWriter.Open(_folder, committedSeq: 50);
        Assert.Equal(0, later.Published.RecordCount);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
