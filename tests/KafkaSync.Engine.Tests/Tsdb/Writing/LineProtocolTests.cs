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
}
