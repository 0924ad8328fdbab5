using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Native;
using static KafkaSync.Engine.Kafka.RdKafkaProduce;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// A librdkafka producer of our own, for the target agent's hot path. Confluent.Kafka's Produce
/// encodes the topic name and builds a native header list from managed objects for every
/// record, pins a delivery handler per record, and its delivery reports marshal each message by
/// reflection into new objects. Here the caller lays out a record's fields as librdkafka's
/// produce arguments straight from its own buffers, and a delivery report reaches
/// <see cref="IProducerEvents.Delivered"/> as a struct naming the opaque the record was
/// produced with: nothing is allocated per record on either side.
/// </summary>
internal sealed unsafe class RawProducer : IDisposable
{
    private const int ErrorTextSize = 512;

    private readonly IntPtr _rk;
    private readonly GCHandle _self;
    private readonly IProducerEvents _events;
    private readonly Thread _poller;
    private readonly Dictionary<string, IntPtr> _topics = new(StringComparer.Ordinal);

    /// <summary>Pulsed after a report while someone waits; the counts below change without it.</summary>
    private readonly object _reportGate = new();
    private long _reports;
    private int _waiters;
    private volatile bool _closing;
    private bool _disposed;

    /// <summary>Creates the producer from librdkafka properties; keys starting with "dotnet." (Confluent.Kafka's own) are left out.</summary>
    /// <exception cref="ArgumentException">librdkafka refused a property; the message names it.</exception>
    /// <exception cref="KafkaException">librdkafka could not create the producer.</exception>
    public RawProducer(IEnumerable<KeyValuePair<string, string>> config, IProducerEvents events)
    {
        ArgumentNullException.ThrowIfNull(config);
        _events = events ?? throw new ArgumentNullException(nameof(events));
        if (!Environment.Is64BitProcess)
        {
            // The produce arguments (VU) are laid out for 64-bit pointers.
            throw new PlatformNotSupportedException("KafkaSync's target producer needs a 64-bit process.");
        }

        NativeLibraries.EnsureRegistered();
        _self = GCHandle.Alloc(this);
        var conf = rd_kafka_conf_new();
        var errorText = stackalloc byte[ErrorTextSize];
        try
        {
            foreach (var (key, value) in config)
            {
                if (key.StartsWith("dotnet.", StringComparison.Ordinal) || value is null)
                {
                    continue;
                }

                if (rd_kafka_conf_set(conf, key, value, errorText, ErrorTextSize) != ConfOk)
                {
                    throw new ArgumentException($"Kafka property '{key}': {Text(errorText)}");
                }
            }

            rd_kafka_conf_set_opaque(conf, GCHandle.ToIntPtr(_self));
            rd_kafka_conf_set_dr_msg_cb(conf, &OnDelivery);
            rd_kafka_conf_set_error_cb(conf, &OnError);
            rd_kafka_conf_set_log_cb(conf, &OnLog);
            _rk = rd_kafka_new(ProducerType, conf, errorText, ErrorTextSize);
            if (_rk == IntPtr.Zero)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fail, $"Creating the producer: {Text(errorText)}"));
            }
        }
        catch
        {
            // rd_kafka_new owns the conf only once it succeeded.
            rd_kafka_conf_destroy(conf);
            _self.Free();
            throw;
        }

        _poller = new Thread(Poll) { IsBackground = true, Name = "kafkasync producer reports" };
        _poller.Start();
    }

    /// <summary>The topic object for <paramref name="name"/>, made once; valid until disposed. Producing thread only.</summary>
    public IntPtr Topic(string name)
    {
        if (!_topics.TryGetValue(name, out var rkt))
        {
            rkt = rd_kafka_topic_new(_rk, name, IntPtr.Zero);
            if (rkt == IntPtr.Zero)
            {
                throw new KafkaException(new Error(ErrorCode.Local_Fail, $"librdkafka refused topic '{name}'."));
            }

            _topics[name] = rkt;
        }

        return rkt;
    }

    /// <summary>
    /// Produces one record given as librdkafka's produce arguments; false when the producer's
    /// buffer is full. Every pointer in <paramref name="fields"/> must stay valid (pinned) until
    /// this returns: librdkafka copies what it keeps.
    /// </summary>
    /// <exception cref="KafkaException">librdkafka refused the record.</exception>
    public bool TryProduce(VU* fields, int count)
    {
        var error = rd_kafka_produceva(_rk, fields, (nuint)count);
        if (error == IntPtr.Zero)
        {
            return true;
        }

        var code = rd_kafka_error_code(error);
        if (code == QueueFull)
        {
            rd_kafka_error_destroy(error);
            return false;
        }

        var text = Marshal.PtrToStringUTF8((IntPtr)rd_kafka_error_string(error)) ?? "";
        var fatal = rd_kafka_error_is_fatal(error) != 0 || code == Fatal;
        rd_kafka_error_destroy(error);
        throw new KafkaException(new Error((ErrorCode)code, text, fatal));
    }

    /// <summary>Delivery reports handled so far. Read before every produce call: no lock.</summary>
    public long Reports => Interlocked.Read(ref _reports);

    /// <summary>
    /// Waits until more than <paramref name="seen"/> reports were handled (a full buffer has room
    /// again, or the last records are in), or <paramref name="timeout"/>; returns the count then.
    /// </summary>
    public long WaitForReportAfter(long seen, TimeSpan timeout)
    {
        lock (_reportGate)
        {
            // Counted in before the count is read again (a full fence): a report after that read
            // sees the waiter and pulses; one before it is seen here and no wait is needed.
            Interlocked.Increment(ref _waiters);
            try
            {
                if (Reports == seen)
                {
                    Monitor.Wait(_reportGate, timeout);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }

            return Reports;
        }
    }

    /// <summary>Fences older producers of the same transactional id and aborts their open transaction.</summary>
    /// <exception cref="KafkaException">As <see cref="ThrowIfError"/> describes.</exception>
    public void InitTransactions(TimeSpan timeout) => ThrowIfError(rd_kafka_init_transactions(_rk, Milliseconds(timeout)));

    /// <exception cref="KafkaException">As <see cref="ThrowIfError"/> describes.</exception>
    public void BeginTransaction() => ThrowIfError(rd_kafka_begin_transaction(_rk));

    /// <summary>Sends what is buffered, then commits; reports of the transaction's records may be served on this thread meanwhile.</summary>
    /// <exception cref="KafkaException">As <see cref="ThrowIfError"/> describes.</exception>
    public void CommitTransaction(TimeSpan timeout) => ThrowIfError(rd_kafka_commit_transaction(_rk, Milliseconds(timeout)));

    /// <exception cref="KafkaException">As <see cref="ThrowIfError"/> describes.</exception>
    public void AbortTransaction(TimeSpan timeout) => ThrowIfError(rd_kafka_abort_transaction(_rk, Milliseconds(timeout)));

    /// <summary>Destroys the producer; records not yet reported are dropped unreported, so wait for their reports first.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _closing = true;
        _poller.Join();
        foreach (var rkt in _topics.Values)
        {
            rd_kafka_topic_destroy(rkt);
        }

        rd_kafka_destroy(_rk);
        _self.Free();
    }

    private void Poll()
    {
        while (!_closing)
        {
            // Serves delivery reports and errors; returns as soon as one was served.
            rd_kafka_poll(_rk, 100);
        }
    }

    private static RawProducer? Of(IntPtr opaque) =>
        opaque == IntPtr.Zero ? null : GCHandle.FromIntPtr(opaque).Target as RawProducer;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDelivery(IntPtr rk, RdKafkaConsume.Message* message, IntPtr opaque)
    {
        var producer = Of(opaque);
        if (producer is null || producer._closing)
        {
            return;
        }

        try
        {
            producer._events.Delivered(new Delivery((long)message->Private, message->Partition, message->Offset, (ErrorCode)message->Err));
        }
        catch (Exception ex)
        {
            // An exception must not cross into librdkafka: the process would end.
            producer._events.Failed(ex);
        }

        producer.Reported();
    }

    /// <summary>Counts a handled report; takes the lock only when someone waits for one.</summary>
    private void Reported()
    {
        Interlocked.Increment(ref _reports);
        if (Volatile.Read(ref _waiters) > 0)
        {
            lock (_reportGate)
            {
                Monitor.PulseAll(_reportGate);
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(IntPtr rk, int code, byte* reason, IntPtr opaque)
    {
        var producer = Of(opaque);
        if (producer is null || producer._closing)
        {
            return;
        }

        try
        {
            if (code == Fatal)
            {
                // The callback only says "fatal"; librdkafka keeps the error that caused it.
                var text = stackalloc byte[ErrorTextSize];
                var cause = rd_kafka_fatal_error(rk, text, ErrorTextSize);
                producer._events.Error(new Error((ErrorCode)cause, Text(text), isFatal: true));
            }
            else
            {
                producer._events.Error(new Error((ErrorCode)code, Marshal.PtrToStringUTF8((IntPtr)reason) ?? "", isFatal: false));
            }
        }
        catch (Exception ex)
        {
            producer._events.Failed(ex);
        }
    }

    /// <summary>Called on librdkafka's own threads; no librdkafka call may be made here but reading the opaque.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(IntPtr rk, int level, byte* facility, byte* message)
    {
        try
        {
            Of(rd_kafka_opaque(rk))?._events.Log((SyslogLevel)level, Marshal.PtrToStringUTF8((IntPtr)facility) ?? "", Marshal.PtrToStringUTF8((IntPtr)message) ?? "");
        }
        catch (Exception)
        {
            // A log line is not worth the process.
        }
    }

    /// <summary>
    /// Turns a transactional call's error into the exception Confluent.Kafka throws for it:
    /// <see cref="KafkaTxnRequiresAbortException"/> when the transaction must be aborted,
    /// <see cref="KafkaRetriableException"/> when the same call may be retried, else a
    /// <see cref="KafkaException"/> (fatal or not, as its Error says).
    /// </summary>
    private static void ThrowIfError(IntPtr error)
    {
        if (error == IntPtr.Zero)
        {
            return;
        }

        var reason = new Error(
            (ErrorCode)rd_kafka_error_code(error),
            Marshal.PtrToStringUTF8((IntPtr)rd_kafka_error_string(error)) ?? "",
            isFatal: rd_kafka_error_is_fatal(error) != 0);
        var abort = rd_kafka_error_txn_requires_abort(error) != 0;
        var retriable = rd_kafka_error_is_retriable(error) != 0;
        rd_kafka_error_destroy(error);
        throw abort ? new KafkaTxnRequiresAbortException(reason)
            : retriable ? new KafkaRetriableException(reason)
            : new KafkaException(reason);
    }

    private static int Milliseconds(TimeSpan timeout) => (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);

    private static string Text(byte* text) => Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
}

/// <summary>A delivery report: the opaque the record was produced with, where it landed, and the outcome.</summary>
internal readonly record struct Delivery(long Opaque, int Partition, long Offset, ErrorCode Error);

/// <summary>What a <see cref="RawProducer"/> reports.</summary>
internal interface IProducerEvents
{
    /// <summary>One record's outcome, on the producer's report thread, one at a time.</summary>
    void Delivered(in Delivery delivery);

    /// <summary>A client-level error (a broker down, a fatal idempotence error), on the report thread.</summary>
    void Error(Error error);

    /// <summary>A log line of librdkafka, on any of its threads.</summary>
    void Log(SyslogLevel level, string facility, string message);

    /// <summary>One of the calls above threw: the producer can no longer be trusted to report everything.</summary>
    void Failed(Exception exception);
}
