using System.Runtime.InteropServices;
using KafkaSync.Engine.Native;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// An in-process Kafka cluster on librdkafka's mock cluster: real Kafka protocol on loopback
/// TCP, reachable by any client in or out of the process, data in memory only. For the demo,
/// the tests and for trying the module with no cluster at hand.
/// </summary>
/// <remarks>
/// The mock cluster keeps only the newest 5 MiB or 100,000 message sets per partition and
/// answers a Fetch with one message set per partition, so producers feeding it should batch
/// (linger.ms 50–100) and consumers should join before the producers start. Never list
/// consumer groups on it (ListConsumerGroups): librdkafka 2.16's mock crashes the process.
/// </remarks>
public sealed class EmbeddedKafka : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _handle;
    private readonly IntPtr _cluster;

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers (ids 1..N) on loopback.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="brokers"/> is not 1–16.</exception>
    /// <exception cref="InvalidOperationException">librdkafka refused to start the cluster.</exception>
    public EmbeddedKafka(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 16);
        NativeLibraries.EnsureRegistered();
        Brokers = brokers;
        _handle = CreateHost(brokers);
        _cluster = RdKafkaMock.rd_kafka_handle_mock_cluster(_handle);
        if (_cluster == IntPtr.Zero)
        {
            RdKafkaMock.rd_kafka_destroy(_handle);
            throw new InvalidOperationException("librdkafka did not start a mock cluster; it needs librdkafka 1.4 or later built with mock cluster support.");
        }

        // The mock waits 3 s before the first rebalance of a new group, as a broker's
        // group.initial.rebalance.delay.ms does; with 0 a group join takes milliseconds.
        RdKafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);

        BootstrapServers = Marshal.PtrToStringUTF8(RdKafkaMock.rd_kafka_mock_cluster_bootstraps(_cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>The number of brokers; their ids are 1 to <see cref="Brokers"/>.</summary>
    public int Brokers { get; }

    /// <summary>The bootstrap list to give clients, e.g. "127.0.0.1:40001,127.0.0.1:40002".</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions.</summary>
    /// <exception cref="InvalidOperationException">The topic exists already or the arguments are refused.</exception>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        Check(RdKafkaMock.rd_kafka_mock_topic_create(Cluster(), topic, partitions, Math.Min(replicationFactor, Brokers)), $"create topic '{topic}'");
    }

    /// <summary>Takes broker <paramref name="brokerId"/> down: its connections close and it refuses new ones.</summary>
    public void SetBrokerDown(int brokerId) =>
        Check(RdKafkaMock.rd_kafka_mock_broker_set_down(Cluster(), brokerId), $"take broker {brokerId} down");

    /// <summary>Brings broker <paramref name="brokerId"/> back up.</summary>
    public void SetBrokerUp(int brokerId) =>
        Check(RdKafkaMock.rd_kafka_mock_broker_set_up(Cluster(), brokerId), $"bring broker {brokerId} up");

    /// <summary>Takes every broker down (a whole-cluster outage).</summary>
    public void SetAllBrokersDown()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            SetBrokerDown(id);
        }
    }

    /// <summary>Brings every broker back up.</summary>
    public void SetAllBrokersUp()
    {
        for (var id = 1; id <= Brokers; id++)
        {
            SetBrokerUp(id);
        }
    }

    /// <summary>Adds <paramref name="roundTrip"/> of latency to every answer of broker <paramref name="brokerId"/>.</summary>
    public void SetBrokerRoundTrip(int brokerId, TimeSpan roundTrip) =>
        Check(RdKafkaMock.rd_kafka_mock_broker_set_rtt(Cluster(), brokerId, (int)roundTrip.TotalMilliseconds), $"set round trip of broker {brokerId}");

    /// <summary>Moves the leadership of one partition to <paramref name="brokerId"/> (-1: no leader).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(RdKafkaMock.rd_kafka_mock_partition_set_leader(Cluster(), topic, partition, brokerId), $"set leader of {topic}[{partition}]");

    /// <summary>
    /// Makes the next requests of kind <paramref name="apiKey"/> (Kafka protocol api key, e.g. 0 =
    /// Produce, 1 = Fetch) fail with the given Kafka error codes, one error per request, in order.
    /// </summary>
    public unsafe void PushRequestErrors(short apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        fixed (int* errors = errorCodes)
        {
            RdKafkaMock.rd_kafka_mock_push_request_errors_array(Cluster(), apiKey, (nuint)errorCodes.Length, errors);
        }
    }

    /// <summary>Forgets errors pushed for <paramref name="apiKey"/> that were not used yet.</summary>
    public void ClearRequestErrors(short apiKey) => RdKafkaMock.rd_kafka_mock_clear_request_errors(Cluster(), apiKey);

    /// <summary>Makes metadata report <paramref name="errorCode"/> for <paramref name="topic"/> (0 clears it).</summary>
    public void SetTopicError(string topic, int errorCode) => RdKafkaMock.rd_kafka_mock_topic_set_error(Cluster(), topic, errorCode);

    /// <summary>Stops the cluster; every record in it is gone.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_handle != IntPtr.Zero)
            {
                RdKafkaMock.rd_kafka_destroy(_handle);
                _handle = IntPtr.Zero;
            }
        }
    }

    private IntPtr Cluster()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        return _cluster;
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Embedded cluster could not {what}: {RdKafkaMock.ErrorText(error)}.");
        }
    }

    private static unsafe IntPtr CreateHost(int brokers)
    {
        var errors = stackalloc byte[512];
        var conf = RdKafkaMock.rd_kafka_conf_new();
        // The host handle exists only to own the cluster; keep its own log quiet.
        foreach (var (name, value) in new[] { ("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("log_level", "0"), ("client.id", "kafkasync-embedded") })
        {
            if (RdKafkaMock.rd_kafka_conf_set(conf, name, value, errors, 512) != RdKafkaMock.ConfOk)
            {
                RdKafkaMock.rd_kafka_conf_destroy(conf);
                throw new InvalidOperationException($"librdkafka refused '{name}': {Text(errors)}");
            }
        }

        var handle = RdKafkaMock.rd_kafka_new(RdKafkaMock.ProducerType, conf, errors, 512);
        if (handle == IntPtr.Zero)
        {
            RdKafkaMock.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"librdkafka could not start the embedded cluster: {Text(errors)}");
        }

        return handle;
    }

    private static unsafe string Text(byte* bytes) => Marshal.PtrToStringUTF8((IntPtr)bytes) ?? string.Empty;
}
