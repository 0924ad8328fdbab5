using System.Runtime.InteropServices;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// The librdkafka calls of a producer of our own (rdkafka.h, librdkafka 2.16), for
/// <see cref="RawProducer"/>.
/// </summary>
internal static unsafe partial class RdKafkaProduce
{
    /// <summary>RD_KAFKA_PRODUCER.</summary>
    public const int ProducerType = 0;

    /// <summary>RD_KAFKA_CONF_OK.</summary>
    public const int ConfOk = 0;

    /// <summary>RD_KAFKA_MSG_F_COPY: librdkafka copies the value before produce returns.</summary>
    public const int CopyPayload = 0x2;

    /// <summary>RD_KAFKA_PARTITION_UA: the configured partitioner chooses.</summary>
    public const int AnyPartition = -1;

    /// <summary>RD_KAFKA_RESP_ERR__QUEUE_FULL.</summary>
    public const int QueueFull = -184;

    /// <summary>RD_KAFKA_RESP_ERR__FATAL: the real error is in rd_kafka_fatal_error.</summary>
    public const int Fatal = -150;

    /// <summary>rd_kafka_vtype_t.</summary>
    public enum VType
    {
        Rkt = 2,
        Partition = 3,
        Value = 4,
        Key = 5,
        Opaque = 6,
        MsgFlags = 7,
        Timestamp = 8,
        Header = 9,
    }

    /// <summary>rd_kafka_vu_t: a type tag, then a 64-byte union.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 72)]
    public struct VU
    {
        [FieldOffset(0)] public VType Type;
        [FieldOffset(8)] public IntPtr Pointer;
        [FieldOffset(8)] public int Int32;
        [FieldOffset(8)] public long Int64;
        [FieldOffset(16)] public nuint Size;
        [FieldOffset(16)] public IntPtr HeaderValue;
        [FieldOffset(24)] public nint HeaderSize;
    }

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_set_opaque(IntPtr conf, IntPtr opaque);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_set_dr_msg_cb(IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, RdKafkaConsume.Message*, IntPtr, void> callback);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_set_error_cb(IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, int, byte*, IntPtr, void> callback);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_set_log_cb(IntPtr conf, delegate* unmanaged[Cdecl]<IntPtr, int, byte*, byte*, void> callback);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_opaque(IntPtr rk);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_poll(IntPtr rk, int timeoutMs);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr rd_kafka_topic_new(IntPtr rk, string topic, IntPtr conf);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_topic_destroy(IntPtr rkt);

    /// <summary>Null on success; else an error to destroy with <see cref="rd_kafka_error_destroy"/>.</summary>
    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_produceva(IntPtr rk, VU* vus, nuint count);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_error_code(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial byte* rd_kafka_error_string(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_error_destroy(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_fatal_error(IntPtr rk, byte* errstr, nuint errstrSize);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_error_is_fatal(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_error_is_retriable(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_error_txn_requires_abort(IntPtr error);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_init_transactions(IntPtr rk, int timeoutMs);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_begin_transaction(IntPtr rk);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_commit_transaction(IntPtr rk, int timeoutMs);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_abort_transaction(IntPtr rk, int timeoutMs);
}
