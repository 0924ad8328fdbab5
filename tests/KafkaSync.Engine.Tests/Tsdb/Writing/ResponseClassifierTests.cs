using KafkaSync.Engine.Tsdb.Writing;

namespace KafkaSync.Engine.Tests.Tsdb.Writing;

/// <summary>The classification table of the user docs, row by row, with the nodes' real answers.</summary>
public sealed class ResponseClassifierTests
{
    [Theory]
    [InlineData(204, "", "Written")]
    [InlineData(400, "{\"error\":\"partial write: unable to parse 'bad line': invalid field format dropped=0\"}", "Permanent")]
    [InlineData(400, "{\"error\":\"partial write: field type conflict: input field \\\"v\\\" on measurement \\\"m\\\" is type string, already exists as type float dropped=1\"}", "Permanent")]
    [InlineData(404, "{\"error\":\"database not found: \\\"nodb\\\"\"}", "Transient")]
    [InlineData(500, "{\"error\":\"retention policy not found: nope\"}", "Permanent")]
    [InlineData(413, "{\"error\":\"Request Entity Too Large\"}", "Permanent")]
    [InlineData(422, "unprocessable", "Permanent")]
    [InlineData(404, "404 page not found", "Transient")]
    [InlineData(401, "{\"error\":\"authorization failed\"}", "Transient")]
    [InlineData(403, "forbidden", "Transient")]
    [InlineData(408, "", "Transient")]
    [InlineData(429, "slow down", "Transient")]
    [InlineData(500, "{\"error\":\"timeout\"}", "Transient")]
    [InlineData(500, "{\"error\":\"engine: cache-max-memory-size exceeded\"}", "Transient")]
    [InlineData(502, "bad gateway", "Transient")]
    [InlineData(503, "shutting down", "Transient")]
    public void Answers_are_sorted_into_retry_later_or_dead_letter(int status, string body, string expected)
    {
        var result = ResponseClassifier.Classify(status, body);
        Assert.Equal(expected, result.Outcome.ToString());
        if (expected != nameof(WriteOutcome.Written))
        {
            Assert.Contains($"HTTP {status}", result.Reason);
        }
    }
}
