using System.Net.Sockets;
using System.Text;
using KafkaSync.Engine.Tsdb;
using KafkaSync.Engine.Tsdb.Balancing;

namespace KafkaSync.Engine.Tests.Tsdb.Balancing;

/// <summary>The balancer's HTTP server against clients that do not speak HTTP, or speak it partly.</summary>
public sealed class HttpServerTests
{
    private static readonly TsdbClusterOptions Options = new()
    {
        Kind = TsdbNodeKind.VictoriaMetrics,
        Nodes = [new TsdbNodeOptions { Name = "a", Url = "http://127.0.0.1:1" }],
        Kafka = new TsdbKafkaOptions { BootstrapServers = "k:1", Topic = "t" },
    };

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", "is not an HTTP/1.x request line")]
    [InlineData("GET /ping HTTP/1.1\r\nno colon here\r\n\r\n", "is not a header line")]
    [InlineData("POST /api/v1/query HTTP/1.1\r\nContent-Length: lots\r\n\r\n", "is not a number")]
    [InlineData("POST /api/v1/query HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "send the body with a Content-Length")]
    public async Task Garbage_gets_400_with_the_reason_and_the_server_keeps_serving(string garbage, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], new ReadCounters());

        var answer = await ExchangeAsync(balancer.Url, garbage, timeout.Token);
        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Contains(reason, answer);

        var ping = await ExchangeAsync(balancer.Url, "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout.Token);
        Assert.StartsWith("HTTP/1.1 204", ping);
    }

    [Fact]
    public async Task A_head_larger_than_64_KiB_is_refused_instead_of_buffered()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], new ReadCounters());
        var huge = "GET /ping HTTP/1.1\r\nX-Big: " + new string('a', 70_000) + "\r\n\r\n";
        Assert.Contains("larger than 64 KiB", await ExchangeAsync(balancer.Url, huge, timeout.Token));
    }

    [Fact]
    public async Task Two_requests_on_one_kept_alive_connection_are_both_answered()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var balancer = new ReadBalancer(Options, "127.0.0.1:0", () => [], new ReadCounters());
        var answer = await ExchangeAsync(balancer.Url, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout.Token);
        Assert.StartsWith("HTTP/1.1 204", answer);
        Assert.Contains("HTTP/1.1 503", answer);
        Assert.Contains("0 of 0 nodes available", answer);
    }

    private static async Task<string> ExchangeAsync(Uri url, string request, CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, cancellation);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellation);
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        try
        {
            return await reader.ReadToEndAsync(cancellation);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
