using System.Buffers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Records;
using static KafkaSync.Engine.Kafka.RdKafkaConsume;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// Polls a Confluent.Kafka consumer's librdkafka handle directly and serializes each record from
/// librdkafka's own buffers. Confluent's Consume marshals every message by reflection and copies
/// its topic name, key, value and each header into new objects: about a third of the source
/// agent's consuming thread. Here a record is copied once, into the caller's buffer. The consumer
/// keeps doing everything else (assignment, offsets, its callbacks, which rd_kafka_consumer_poll
/// serves exactly as Consume does).
/// </summary>
internal sealed unsafe class RawConsumer : IDisposable
{
    private readonly SafeHandle _handle;
    private readonly IntPtr _rk;
    private readonly List<ConsumedTopic> _topics = [];
    private ConsumedTopic? _lastTopic;
    private Message* _message;
    private bool _released;

    /// <summary>Reads through <paramref name="consumer"/>'s handle, which stays open until this is disposed.</summary>
    /// <exception cref="InvalidOperationException">This Confluent.Kafka does not expose its handle as 2.16 does.</exception>
    public RawConsumer(IConsumer<byte[]?, byte[]?> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        _handle = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(consumer.Handle) as SafeHandle
            ?? throw new InvalidOperationException($"Confluent.Kafka {typeof(Handle).Assembly.GetName().Version} keeps its librdkafka handle where this build does not look; KafkaSync is built for Confluent.Kafka 2.16.");
        var added = false;
        _handle.DangerousAddRef(ref added);
        _rk = _handle.DangerousGetHandle();
    }

    /// <summary>True when the last <see cref="Poll"/> met a partition's end (with enable.partition.eof) instead of a record.</summary>
    public bool ReachedEnd { get; private set; }

    /// <summary>The topic of the record <see cref="Poll"/> last returned.</summary>
    public ConsumedTopic Topic => _lastTopic!;

    /// <summary>The partition of the record <see cref="Poll"/> last returned.</summary>
    public int Partition => _message->Partition;

    /// <summary>The offset of the record <see cref="Poll"/> last returned.</summary>
    public long Offset => _message->Offset;

    /// <summary>Key plus value bytes of the record <see cref="Poll"/> last returned.</summary>
    public int PayloadBytes => checked((int)(_message->KeyLen + _message->Len));

    /// <summary>The timestamp of the record <see cref="Poll"/> last returned (milliseconds since the epoch; 0 without one).</summary>
    public long Timestamp { get; private set; }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for the next record and makes it current, after
    /// releasing the previous one. False when none came (or a partition's end was reached).
    /// </summary>
    /// <exception cref="KafkaException">librdkafka reported an error in place of a record.</exception>
    public bool Poll(int timeoutMs)
    {
        Release();
        ReachedEnd = false;
        var message = rd_kafka_consumer_poll(_rk, timeoutMs);
        if (message is null)
        {
            return false;
        }

        _message = message;
        if (message->Err != 0)
        {
            if (message->Err == PartitionEof)
            {
                ReachedEnd = true;
                Release();
                return false;
            }

            // The record's place says which topic the broker refused (e.g. for want of a grant).
            var where = message->Rkt == IntPtr.Zero ? "" : $"{TopicOf(message->Rkt).Name}[{message->Partition}]: ";
            var error = new Error((ErrorCode)message->Err, $"Consuming {where}{ErrorText(message)}");
            Release();
            throw new KafkaException(error);
        }

        _lastTopic = TopicOf(message->Rkt);
        return true;
    }

    /// <summary>Appends the current record to <paramref name="output"/> in the queue's record format.</summary>
    public void Serialize(IBufferWriter<byte> output)
    {
        var message = _message;
        var timestamp = rd_kafka_message_timestamp(message, out var timestampType);
        Timestamp = timestampType == 0 ? 0 : timestamp;
        var headerCount = rd_kafka_message_headers(message, out var headers) == 0 ? checked((int)rd_kafka_header_cnt(headers)) : 0;
        KafkaRecordSerializer.WriteStart(
            output, _lastTopic!.NameUtf8, message->Partition, message->Offset, timestamp, (KafkaTimestampType)timestampType,
            Bytes(message->Key, message->KeyLen), Bytes(message->Payload, message->Len), headerCount);
        for (var i = 0; i < headerCount; i++)
        {
            rd_kafka_header_get_all(headers, (nuint)i, out var name, out var value, out var size);
            KafkaRecordSerializer.WriteHeader(output, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name), Bytes(value, size));
        }
    }

    /// <summary>Releases the current record back to librdkafka.</summary>
    public void Release()
    {
        if (_message is not null)
        {
            rd_kafka_message_destroy(_message);
            _message = null;
        }
    }

    public void Dispose()
    {
        Release();
        if (!_released)
        {
            _released = true;
            _handle.DangerousRelease();
        }
    }

    private static NullableBytes Bytes(byte* data, nuint length) =>
        data is null ? NullableBytes.Null : new NullableBytes(new ReadOnlySpan<byte>(data, checked((int)length)));

    /// <summary>
    /// The topic of a message, by name: a topic object's address may be reused for another topic
    /// once librdkafka frees it. Records come in runs from one partition, so the last one is tried first.
    /// </summary>
    private ConsumedTopic TopicOf(IntPtr rkt)
    {
        var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(rd_kafka_topic_name(rkt));
        if (_lastTopic is { } last && name.SequenceEqual(last.NameUtf8))
        {
            return last;
        }

        foreach (var topic in _topics)
        {
            if (name.SequenceEqual(topic.NameUtf8))
            {
                return topic;
            }
        }

        var added = new ConsumedTopic(Encoding.UTF8.GetString(name), name.ToArray());
        _topics.Add(added);
        return added;
    }

    private static string ErrorText(Message* message)
    {
        // As rd_kafka_message_errstr (an inline function): the payload holds the error's text if any.
        if (message->Payload is not null && message->Len > 0)
        {
            return Encoding.UTF8.GetString(message->Payload, checked((int)message->Len));
        }

        return Marshal.PtrToStringUTF8((IntPtr)rd_kafka_err2str(message->Err)) ?? $"error {message->Err}";
    }
}
