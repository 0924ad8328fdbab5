using System.Text;
using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Tsdb.Connectors;

namespace KafkaSync.Engine.Tests.Tsdb;

public sealed class PointBatchTests
{
    [Fact]
    public void The_body_of_any_run_of_records_is_their_lines_joined_by_newlines_however_the_buffer_grew()
    {
        var gen =
            from size in Gen.Choose(1, 400)
            from lines in Gen.ListOf(Gen.Choose(0, 3000).Select(n => new string('x', n % 300) + "m v=" + n + "i"), size)
            from initial in Gen.Choose(1, 100_000)
            from first in Gen.Choose(0, lines.Count - 1)
            from count in Gen.Choose(1, lines.Count - first)
            select (lines, initial, first, count);

        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var batch = new PointBatch(c.initial);
            for (var i = 0; i < c.lines.Count; i++)
            {
                batch.Add(i % 3, 100 + i, 1000 + i, Encoding.UTF8.GetBytes(c.lines[i]), points: 1 + (i % 2), original: null);
            }

            var (whole, wholeLength) = batch.Body(0, batch.Count);
            var (run, runLength) = batch.Body(c.first, c.count);
            var expectedRun = string.Concat(c.lines.Skip(c.first).Take(c.count).Select(l => l + "\n"));
            return Encoding.UTF8.GetString(whole, 0, wholeLength) == string.Concat(c.lines.Select(l => l + "\n"))
                && wholeLength == batch.Bytes
                && Encoding.UTF8.GetString(run, 0, runLength) == expectedRun
                && batch.PointsOf(c.first, c.count) == Enumerable.Range(c.first, c.count).Sum(i => 1 + (i % 2))
                && batch.Points == Enumerable.Range(0, c.lines.Count).Sum(i => 1 + (i % 2))
                && batch.Records.Select((r, i) => Encoding.UTF8.GetString(batch.Lines(r)) == c.lines[i] && r.Offset == 100 + i && r.Partition == i % 3).All(ok => ok);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_converted_record_keeps_its_original_value_for_a_dead_letter()
    {
        var batch = new PointBatch();
        var json = Encoding.UTF8.GetBytes("{\"measurement\":\"m\",\"fields\":{\"v\":1}}");
        batch.Add(0, 7, 1000, "m v=1"u8, 1, json);
        batch.Add(0, 8, 1000, "m v=2"u8, 1, null);

        Assert.Same(json, batch.Records[0].Original);
        Assert.Null(batch.Records[1].Original);
        Assert.Equal("m v=2", Encoding.UTF8.GetString(batch.Lines(batch.Records[1])));
    }
}
