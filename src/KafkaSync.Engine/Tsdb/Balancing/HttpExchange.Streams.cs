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

    /// <summary>Frames each write as one HTTP chunk, size line and data in a single socket write.</summary>
    private sealed class ChunkedStream(Stream inner) : Stream
    {
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

            var size = Encoding.ASCII.GetBytes(buffer.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            var chunk = new byte[size.Length + buffer.Length + 2];
            size.CopyTo(chunk, 0);
            buffer.CopyTo(chunk.AsMemory(size.Length));
            chunk[^2] = (byte)'\r';
            chunk[^1] = (byte)'\n';
            await inner.WriteAsync(chunk, cancellationToken);
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
