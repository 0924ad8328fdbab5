using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tests.Tsdb.Writing;

public sealed class JsonPointsTests
{
    [Theory]
    [InlineData("""{"measurement":"cpu","tags":{"host":"a","dc":"x 1"},"fields":{"usage":0.5,"ok":true,"note":"say \"hi\""},"time":1700000000000}""",
        "cpu,dc=x\\ 1,host=a usage=0.5,ok=true,note=\"say \\\"hi\\\"\" 1700000000000")]
    [InlineData("""{"measurement":"m, x","fields":{"n":{"int":3},"v":3}}""", "m\\,\\ x n=3i,v=3")]
    [InlineData("""[{"measurement":"a","fields":{"v":1}},{"measurement":"b","tags":{"k":7},"fields":{"v":2}}]""", "a v=1\nb,k=7 v=2")]
    [InlineData("""{"measurement":"t","fields":{"v":1},"time":"2023-11-14T22:13:20Z"}""", "t v=1 1700000000000")]
    public void Points_become_line_protocol(string json, string expected)
    {
        var (lines, error) = JsonPoints.Convert(System.Text.Encoding.UTF8.GetBytes(json), "ms");
        Assert.Null(error);
        Assert.Equal(expected, lines);
        Assert.Null(LineProtocol.Check(lines!).Error);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"fields":{"v":1}}""", "'measurement'")]
    [InlineData("""{"measurement":"m"}""", "'fields'")]
    [InlineData("""{"measurement":"m","fields":{}}""", "'fields'")]
    [InlineData("""{"measurement":"m","fields":{"v":[1]}}""", "field 'v'")]
    [InlineData("""{"measurement":"m","tags":{"t":""},"fields":{"v":1}}""", "tag 't'")]
    [InlineData("""{"measurement":"m","fields":{"v":1},"time":"yesterday"}""", "'time'")]
    [InlineData("""[{"measurement":"m","fields":{"v":1}}, 5]""", "point 1")]
    [InlineData("[]", "no point")]
    public void Malformed_points_are_reported(string json, string expected)
    {
        var (lines, error) = JsonPoints.Convert(System.Text.Encoding.UTF8.GetBytes(json), "ms");
        Assert.Null(lines);
        Assert.Contains(expected, error);
    }
}
