using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Kafka;
using KafkaSync.Engine.Tests.Sync;
using Xunit.Abstractions;

namespace KafkaSync.Engine.Tests.Kafka;

/// <summary>
/// What the embedded cluster (librdkafka's mock broker) does with a producer's retries after it
/// was frozen long enough for requests to time out. A real broker drops a retried batch of an
/// idempotent producer by its producer id and sequence; the mock checks sequences only for
/// transactional producers, so an idempotent producer's retry is written a second time. No
/// KafkaSync code runs here: plain librdkafka producers, each message produced once.
/// </summary>
public sealed class EmbeddedKafka_Frozen_IdempotentRetries(ITestOutputHelper output)
{
    private const string Topic = "frozen";
    private const int Partitions = 2;

    [Fact]
    public async Task A_frozen_embedded_cluster_doubles_an_idempotent_producers_retries_but_not_a_transactional_ones()
    {
        // About 20 s on a quiet machine; a busy one's thawed broker took over a minute to drain once.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var idempotent = await ProduceThroughFreezeAgainAsync(transactional: false, timeout.Token);
        var transactional = await ProduceThroughFreezeAgainAsync(transactional: true, timeout.Token);
        output.WriteLine($"idempotent producer: {idempotent.Produced:N0} produced once each, {idempotent.Stored:N0} stored, {idempotent.Doubled:N0} doubled");
        output.WriteLine($"transactional producer: {transactional.Produced:N0} produced once each, {transactional.Stored:N0} stored, {transactional.Doubled:N0} doubled");

        Assert.True(idempotent.Doubled > 0, "the freeze caused no retry; the test proves nothing");
        Assert.Equal(idempotent.Produced + idempotent.Doubled, idempotent.Stored);
        Assert.Equal(0, transactional.Doubled);
        Assert.Equal(transactional.Produced, transactional.Stored);
    }

    /// <summary>The scenario, run again while the frozen cluster does not come back (see FrozenCluster.FreezeAsync).</summary>
    private async Task<(int Produced, int Stored, int Doubled)> ProduceThroughFreezeAgainAsync(bool transactional, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await ProduceThroughFreezeAsync(transactional, ct) is { } result)
            {
                return result;
            }

            Assert.True(attempt < 8, "the embedded cluster did not come back from SIGCONT in eight runs");
            output.WriteLine($"run {attempt}: the embedded cluster closed its listener on SIGCONT; running the scenario again");
        }
    }

    private async Task<(int Produced, int Stored, int Doubled)?> ProduceThroughFreezeAsync(bool transactional, CancellationToken ct)
    {
        using var cluster = await FrozenCluster.StartAsync(Topic, Partitions, ct);
        var config = KafkaClients.Producer(cluster.BootstrapServers);
        config.EnableIdempotence = true;
        config.MessageTimeoutMs = 0;
        config.LingerMs = 5;
        // The default 60 s is what an operator's freeze of a minute met; 2 s shows the same in a test.
        config.SocketTimeoutMs = 2000;
        if (transactional)
        {
            config.TransactionalId = "frozen-" + Guid.NewGuid().ToString("N");
            config.TransactionTimeoutMs = 60_000;
        }

        var produced = 0;
        var failed = 0;
        // Request timeouts are the point here; librdkafka's notes about them would only clutter the output.
        using (var producer = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build())
        {
            if (transactional)
            {
                producer.InitTransactions(TimeSpan.FromSeconds(10));
                producer.BeginTransaction();
            }

            using var stopProducing = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var producing = Task.Run(() =>
            {
                while (!stopProducing.IsCancellationRequested)
                {
                    var value = Encoding.ASCII.GetBytes(produced.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    producer.Produce(new TopicPartition(Topic, produced % Partitions), new Message<byte[], byte[]> { Value = value }, r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref failed);
                        }
                    });
                    produced++;
                    // About 2,000 a second: always a request in flight, and little for the thawed
                    // broker to catch up on when the machine is busy.
                    if (produced % 40 == 0)
                    {
                        Thread.Sleep(20);
                    }
                }
            }, CancellationToken.None);

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var cameBack = await cluster.FreezeAsync(TimeSpan.FromSeconds(5), ct);
            await stopProducing.CancelAsync();
            await producing;
            if (!cameBack)
            {
                return null;
            }

            // The broker may also close its listener a moment after the thaw: a flush would wait forever.
            while (await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(1)), ct) > 0)
            {
                if (!cluster.AcceptsConnections())
                {
                    return null;
                }

                ct.ThrowIfCancellationRequested();
            }

            if (transactional)
            {
                producer.CommitTransaction(TimeSpan.FromSeconds(30));
            }
        }

        Assert.Equal(0, failed);
        var stored = await Task.Run(() => SyncHarness.ReadAll(cluster.BootstrapServers, [Topic], Partitions, produced, ct, quiet: TimeSpan.FromSeconds(2)));
        var values = stored.Values.SelectMany(l => l).Select(r => Encoding.ASCII.GetString(r.Message.Value!)).ToList();
        var distinct = values.Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(produced, distinct); // nothing lost either way
        return (produced, values.Count, values.Count - distinct);
    }
}
