using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tests.Tsdb.Writing;

public sealed class LineProtocolTests
{
    [Theory]
    [InlineData("cpu value=1", 1)]
    [InlineData("cpu,host=a,region=eu value=1.5,idle=2i,ok=true,name=\"x y, z\" 1700000000000000000", 1)]
    [InlineData("cpu,host=a\\ b value=-1e3 -5", 1)]
    [InlineData("mem\\,x used=3u", 1)]
    [InlineData("cpu value=1\n\n# a comment\ncpu value=2\r\n", 2)]
    [InlineData("a f=t\nb f=FALSE\nc s=\"esc \\\" quote\"", 3)]
    public void Valid_lines_are_counted_as_points(string text, int points)
    {
        var (counted, error) = LineProtocol.Check(text);
        Assert.Null(error);
        Assert.Equal(points, counted);
    }

    [Theory]
    [InlineData("this is not line protocol", "line 1: field without key=value")]
    [InlineData("cpu", "missing fields")]
    [InlineData("cpu,host value=1", "tag without key=value")]
    [InlineData("cpu,host= value=1", "tag without a value")]
    [InlineData("cpu value=", "field without a value")]
    [InlineData("cpu value=abc", "is not a number")]
    [InlineData("cpu value=1x", "is not a number")]
    [InlineData("cpu value=\"open", "unterminated string")]
    [InlineData("cpu value=1 12:00", "timestamp is not an integer")]
    [InlineData("cpu value=1\ncpu value", "line 2:")]
    [InlineData("", "holds no line protocol")]
    [InlineData("\n# only a comment\n", "holds no line protocol")]
    public void Bad_lines_are_reported_with_line_number_and_reason(string text, string expected)
    {
        var (_, error) = LineProtocol.Check(text);
        Assert.NotNull(error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Any_well_formed_record_passes_with_one_point_per_line_and_a_broken_value_never_does()
    {
        var name = Gen.Elements("cpu", "mem used", "a,b", "ünï", "x=y", "back\\slash").Select(n => n.Replace(" ", "\\ ", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal));
        var value = Gen.OneOf(
            Gen.Choose(-1000, 1000).Select(i => i + "i"),
            Gen.Choose(0, 1000).Select(i => i + "u"),
            Gen.Choose(-1000, 1000).Select(i => (i / 7.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("true", "F", "\"quoted, with = and space\"", "\"esc \\\" q\"", "1e-3"));
        var line =
            from measurement in name
            from tagCount in Gen.Choose(0, 3)
            from tags in Gen.ListOf(Gen.Zip(name, name), tagCount)
            from fields in Gen.NonEmptyListOf(Gen.Zip(name, value))
            from timestamp in Gen.OneOf(Gen.Constant(""), Gen.Choose(-5, int.MaxValue).Select(t => " " + t))
            select measurement + string.Concat(tags.Select(t => "," + t.Item1 + "=" + t.Item2)) + " " + string.Join(",", fields.Select(f => f.Item1 + "=" + f.Item2)) + timestamp;
        var record = Gen.NonEmptyListOf(line).Select(lines => lines.ToArray());

        Prop.ForAll(record.ToArbitrary(), lines =>
        {
            var good = LineProtocol.Check(string.Join("\n", lines));
            var broken = LineProtocol.Check(string.Join("\n", lines) + "\nm v=1.2.3");
            return good.Error == null && good.Points == lines.Length && broken.Error != null && broken.Error.StartsWith($"line {lines.Length + 1}:", StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("0.25")]
    [InlineData("-12.5")]
    [InlineData("007.50")]
    [InlineData("42")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("+1.5")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("1e308")]
    [InlineData("1e309")]
    [InlineData("-1E-3")]
    [InlineData("1.x")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void A_float_field_is_accepted_exactly_when_it_parses_as_a_finite_double(string value)
    {
        // The check skips the full parse for plain decimals; it must still decide as the parser does.
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        var parses = System.Buffers.Text.Utf8Parser.TryParse(bytes, out double d, out var used) && used == bytes.Length && double.IsFinite(d);
        Assert.Equal(parses, LineProtocol.Check("m v=" + value).Error == null);
    }

    [Fact]
    public void A_plain_decimal_of_300_digits_passes_and_a_longer_one_is_still_parsed()
    {
        Assert.Null(LineProtocol.Check("m v=" + new string('9', 300)).Error);
        Assert.Null(LineProtocol.Check("m v=" + new string('9', 308) + ".5").Error);
        Assert.NotNull(LineProtocol.Check("m v=" + new string('9', 400)).Error);
    }

    [Fact]
    public void The_fast_check_agrees_with_the_byte_by_byte_reference_on_lines_and_their_mutations()
    {
        // Well-formed lines from building blocks (escapes, every kind of field, edge numbers),
        // then a few byte mutations biased towards the bytes the grammar cares about.
        var name = Gen.Elements("m", "cpu", "conn1", "host", "h12", "region", "r3", "v", "n", "a\\ b", "a\\,b", "a\\=b", "x=y", "é", "#c", "t", "tab\t", "a\\");
        var value = Gen.OneOf(
            Gen.Choose(-100000, 100000).Select(i => (i / 100.0).ToString("R", CultureInfo.InvariantCulture)),
            Gen.Choose(0, 999).Select(i => i + ".25"),
            Gen.Choose(-1000, 1000).Select(i => i + "i"),
            Gen.Choose(0, 1000).Select(i => i + "u"),
            Gen.Elements("t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE", "tru", "1e3", "-1.5E-3", "+1", ".5", "1.", "-", "-0", "007.50", "NaN", "Infinity", "1e400"),
            Gen.Elements("9223372036854775807i", "-9223372036854775808i", "9223372036854775808i", "123456789012345678i", "-123456789012345678i", "1234567890123456789i", "+5i", "i"),
            Gen.Elements("18446744073709551615u", "18446744073709551616u", "1234567890123456789u", "12345678901234567890u", "-1u", "+1u", "u"),
            Gen.Elements("\"\"", "\"a b,c=d\"", "\"esc \\\" q\"", "\"back\\\\slash\"", "\"ü\"", "\"open"));
        var timestamp = Gen.OneOf(
            Gen.Constant(""),
            Gen.Choose(0, int.MaxValue).Select(t => " 1795262" + t),
            Gen.Elements(" -5", " 0", " 123456789012345678", " -123456789012345678", " 1234567890123456789", " 9223372036854775808", "  12", " 12 ", " +7", " 1.5"));
        var line =
            from measurement in name
            from tagCount in Gen.Choose(0, 3)
            from tags in Gen.ListOf(Gen.Zip(name, name), tagCount)
            from fieldCount in Gen.Choose(1, 3)
            from fields in Gen.ListOf(Gen.Zip(name, value), fieldCount)
            from time in timestamp
            select measurement + string.Concat(tags.Select(t => "," + t.Item1 + "=" + t.Item2)) + " " + string.Join(",", fields.Select(f => f.Item1 + "=" + f.Item2)) + time;
        var separator = Gen.Elements("\n", "\n", "\n", "\r\n", "\n\n", "\n# a comment\n", "\n  \n");
        var record =
            from lineCount in Gen.Choose(1, 4)
            from lines in Gen.ListOf(Gen.Zip(line, separator), lineCount)
            select Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l.Item1 + l.Item2)));
        var interesting = Encoding.ASCII.GetBytes(" ,=\\\"\n\r#it.-+0123456789");
        var mutationByte = Gen.OneOf(Gen.Elements(interesting), Gen.Elements(interesting), Gen.Elements(interesting), Gen.Choose(0, 255).Select(b => (byte)b));
        var mutation =
            from kind in Gen.Choose(0, 4)
            from position in Gen.Choose(0, 1000)
            from size in Gen.Choose(1, 8)
            from b in mutationByte
            select (Kind: kind, Position: position, Size: size, Byte: b);
        var input =
            from bytes in record
            from mutationCount in Gen.Choose(0, 3)
            from mutations in Gen.ListOf(mutation, mutationCount)
            select new Input(mutations.Aggregate(bytes, Mutate));

        Prop.ForAll(input.ToArbitrary(), x =>
        {
            Assert.Equal(ReferenceLineProtocol.Check(x.Bytes), LineProtocol.Check(x.Bytes));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20_000));
    }

    private static byte[] Mutate(byte[] bytes, (int Kind, int Position, int Size, byte Byte) mutation)
    {
        var list = bytes.ToList();
        var at = list.Count == 0 ? 0 : mutation.Position % (list.Count + 1);
        switch (mutation.Kind)
        {
            case 0 when at < list.Count:
                list.RemoveAt(at);
                break;
            case 1:
                list.Insert(at, mutation.Byte);
                break;
            case 2 when at < list.Count:
                list[at] = mutation.Byte;
                break;
            case 3:
                list.RemoveRange(at, list.Count - at);
                break;
            case 4:
                list.InsertRange(at, list.Skip(at).Take(mutation.Size).ToList());
                break;
        }

        return [.. list];
    }

    /// <summary>A generated record, shown readably when a case fails.</summary>
    public sealed record Input(byte[] Bytes)
    {
        public override string ToString() => string.Concat(Bytes.Select(b => b is >= 32 and < 127 and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}"));
    }
}
