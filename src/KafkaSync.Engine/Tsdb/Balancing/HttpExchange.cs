using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>One request on a connection and the answer to it.</summary>
internal sealed partial class HttpExchange
{
    private readonly HttpRequestReader reader;
    private long bodyLeft;

    public HttpExchange(HttpRequestReader reader, string method, string target, IReadOnlyList<KeyValuePair<string, string>> headers, long bodyLength, bool keepAlive)
    {
        this.reader = reader;
        Method = method;
        Target = target;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        Path = question < 0 ? target : target[..question];
        Headers = headers;
        BodyLength = bodyLength;
        bodyLeft = bodyLength;
        KeepAlive = keepAlive;
        Body = new BodyStream(this);
    }

    public string Method { get; }

    /// <summary>The path and query as the client sent them.</summary>
    public string Target { get; }

    public string Path { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public long BodyLength { get; }

    /// <summary>The request body (Content-Length bytes).</summary>
    public Stream Body { get; }

    public bool KeepAlive { get; set; }

    public bool ResponseStarted { get; private set; }

    public Task RespondTextAsync(int status, string text, CancellationToken cancellation) =>
        RespondBytesAsync(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"), cancellation);

    public Task RespondJsonAsync<T>(T value, CancellationToken cancellation) =>
        RespondBytesAsync(200, "application/json", JsonSerializer.SerializeToUtf8Bytes(value, Configuration.ConfigFile.Json), cancellation);

    /// <summary>Answers with a whole body, head and body in one write.</summary>
    public async Task RespondBytesAsync(int status, string? contentType, byte[] body, CancellationToken cancellation)
    {
        var headers = contentType == null ? [] : new[] { new KeyValuePair<string, string>("Content-Type", contentType) };
        var head = Head(status, headers, body.Length);
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all, head.Length);
        ResponseStarted = true;
        await reader.Stream.WriteAsync(all, cancellation);
    }

    /// <summary>
    /// Sends the head, then lets <paramref name="writeBody"/> stream the body: as is when
    /// <paramref name="length"/> is known, else in chunks.
    /// </summary>
    public async Task RespondStreamAsync(int status, IEnumerable<KeyValuePair<string, string>> headers, long? length, Func<Stream, Task> writeBody, CancellationToken cancellation)
    {
        ResponseStarted = true;
        await reader.Stream.WriteAsync(Head(status, headers, length), cancellation);
        if (length != null)
        {
            await writeBody(reader.Stream);
            return;
        }

        var chunked = new ChunkedStream(reader.Stream);
        await writeBody(chunked);
        await reader.Stream.WriteAsync(LastChunk, cancellation);
    }

    /// <summary>Reads what the handler left of the body, so the next request starts at its head.</summary>
    /// <returns>True when the connection can serve another request.</returns>
    public async Task<bool> FinishAsync(CancellationToken cancellation)
    {
        // Nearly every handler reads its whole body; the scratch buffer is for the rest.
        var scratch = bodyLeft > 0 ? new byte[8192] : [];
        while (bodyLeft > 0)
        {
            if (await Body.ReadAsync(scratch, cancellation) == 0)
            {
                return false;
            }
        }

        return ResponseStarted;
    }

    /// <summary>Answers a request we could not even parse, and asks the client to close.</summary>
    public static async Task WriteErrorAsync(Stream stream, int status, string text, CancellationToken cancellation)
    {
        var body = Encoding.UTF8.GetBytes(text + "\n");
        var head = Encoding.Latin1.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        var all = new byte[head.Length + body.Length];
        head.CopyTo(all, 0);
        body.CopyTo(all, head.Length);
        await stream.WriteAsync(all, cancellation);
    }

    private byte[] Head(int status, IEnumerable<KeyValuePair<string, string>> headers, long? length)
    {
        var head = new StringBuilder(256);
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append(length is { } n ? string.Create(CultureInfo.InvariantCulture, $"Content-Length: {n}\r\n") : "Transfer-Encoding: chunked\r\n");
        if (!KeepAlive)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }

    /// <summary>The chunk that ends a chunked body.</summary>
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
