using System.Globalization;
using System.Text;

namespace KafkaSync.Engine.Tsdb.Balancing;

/// <summary>The request body and the chunked response body.</summary>
internal sealed partial class HttpExchange
{
    /// <summary>Reads exactly the request's Content-Length bytes, no further.</summary>
    private sealed class BodyStream(HttpExchange exchange) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => exchange.BodyLength;

        public override long Position { get => exchange.BodyLength - exchange.bodyLeft; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (exchange.bodyLeft == 0)
            {
                return 0;
            }

            var n = await exchange.reader.ReadBodyAsync(buffer[..(int)Math.Min(buffer.Length, exchange.bodyLeft)], cancellationToken);
            if (n == 0)
            {
                throw new IOException("the client closed the connection in the middle of the request body");
            }

            exchange.bodyLeft -= n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Frames each write as one HTTP chunk, size line and data in a single socket write. Writes
    /// come one after another, so one buffer serves them all, grown to the largest chunk.
    /// </summary>
    private sealed class ChunkedStream(Stream inner) : Stream
    {
        private byte[] chunk = [];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return;
            }

            // Size line: at most 8 hex digits and CRLF; data; CRLF.
            var needed = 10 + buffer.Length + 2;
            if (chunk.Length < needed)
            {
                chunk = new byte[needed];
            }

            buffer.Length.TryFormat(chunk, out var digits, "x", CultureInfo.InvariantCulture);
            chunk[digits] = (byte)'\r';
            chunk[digits + 1] = (byte)'\n';
            buffer.CopyTo(chunk.AsMemory(digits + 2));
            var end = digits + 2 + buffer.Length;
            chunk[end] = (byte)'\r';
            chunk[end + 1] = (byte)'\n';
            await inner.WriteAsync(chunk.AsMemory(0, end + 2), cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
