using System.Globalization;
using System.Text;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>Reads HTTP/1.1 requests off one connection: the head, then a body of Content-Length bytes.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private const int MaxHead = 64 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;

    public Stream Stream => stream;

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an HTTP/1.x request we accept.</exception>
    public async Task<HttpExchange?> ReadAsync(CancellationToken cancellation)
    {
        int headEnd;
        while ((headEnd = buffer.AsSpan(start, end - start).IndexOf(EndOfHead)) < 0)
        {
            if (end - start >= MaxHead)
            {
                throw new InvalidDataException("the request head is larger than 64 KiB");
            }

            if (!await FillAsync(cancellation))
            {
                return end == start ? null : throw new InvalidDataException("the connection closed in the middle of a request head");
            }
        }

        var head = Encoding.Latin1.GetString(buffer, start, headEnd);
        start += headEnd + EndOfHead.Length;
        return Parse(head);
    }

    /// <summary>Reads body bytes: first what is buffered, then from the socket.</summary>
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination, CancellationToken cancellation)
    {
        if (end > start)
        {
            var n = Math.Min(destination.Length, end - start);
            buffer.AsMemory(start, n).CopyTo(destination);
            start += n;
            return n;
        }

        return await stream.ReadAsync(destination, cancellation);
    }

    private HttpExchange Parse(string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length == 0 || parts[1][0] != '/')
        {
            throw new InvalidDataException($"'{Shorten(lines[0])}' is not an HTTP/1.x request line");
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length);
        long length = 0;
        var keepAlive = parts[2] != "HTTP/1.0";
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"'{Shorten(line)}' is not a header line");
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers.Add(new(name, value));
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
            {
                throw new InvalidDataException($"Content-Length '{Shorten(value)}' is not a number");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException("chunked request bodies are not accepted; send the body with a Content-Length");
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || (keepAlive && !value.Contains("close", StringComparison.OrdinalIgnoreCase));
            }
        }

        return new HttpExchange(this, parts[0], parts[1], headers, length, keepAlive);
    }

    private async Task<bool> FillAsync(CancellationToken cancellation)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var n = await stream.ReadAsync(buffer.AsMemory(end), cancellation);
        end += n;
        return n > 0;
    }

    private static string Shorten(string text) => text.Length > 100 ? text[..100] + "…" : text;
}
