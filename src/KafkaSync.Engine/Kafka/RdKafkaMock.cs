using System.Runtime.InteropServices;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// The few librdkafka functions Confluent.Kafka does not expose: a bare client handle to host a
/// mock cluster, and the mock cluster's control API (rdkafka_mock.h, librdkafka 2.16).
/// </summary>
internal static unsafe partial class RdKafkaMock
{
    public const int ConfOk = 0;
    public const int ProducerType = 0;

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rd_kafka_mock_topic_set_error(IntPtr mcluster, string topic, int error);

    [LibraryImport(NativeLibraries.Rdkafka, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_partition_set_leader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial int rd_kafka_mock_broker_set_rtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial void rd_kafka_mock_clear_request_errors(IntPtr mcluster, short apiKey);

    [LibraryImport(NativeLibraries.Rdkafka)]
    public static partial IntPtr rd_kafka_err2str(int error);

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(rd_kafka_err2str(error)) ?? $"error {error}";
}
