using System.Runtime.InteropServices;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// The librdkafka calls that read a consumed message in place (rdkafka.h, librdkafka 2.16), for
/// <see cref="RawConsumer"/>.
/// </summary>
internal static unsafe partial class RdKafkaConsume
{
    /// <summary>RD_KAFKA_RESP_ERR__PARTITION_EOF: not an error, the end of a partition for now.</summary>
    public const int PartitionEof = -191;

    /// <summary>rd_kafka_message_t, field for field.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Message
    {
        public int Err;
        public IntPtr Rkt;
        public int Partition;
        public byte* Payload;
        public nuint Len;
        public byte* Key;
        public nuint KeyLen;
        public long Offset;
        public IntPtr Private;
    }

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial Message* rd_kafka_consumer_poll(IntPtr rk, int timeoutMs);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_message_destroy(Message* message);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial byte* rd_kafka_topic_name(IntPtr rkt);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial long rd_kafka_message_timestamp(Message* message, out int timestampType);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_message_headers(Message* message, out IntPtr headers);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial nuint rd_kafka_header_cnt(IntPtr headers);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_header_get_all(IntPtr headers, nuint index, out byte* name, out byte* value, out nuint size);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial byte* rd_kafka_err2str(int err);
}
