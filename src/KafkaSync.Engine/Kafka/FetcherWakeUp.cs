using Confluent.Kafka;

namespace KafkaSync.Engine.Kafka;

/// <summary>
/// Works around a librdkafka 2.0 fetch stall. librdkafka stops fetching while its local queue is
/// over queued.min.messages or queued.max.messages.kbytes, and looks again only when that broker's
/// thread next wakes, which can be a second later (librdkafka issue 2879; fetch.queue.backoff.ms
/// fixes it from 2.2). A consumer that drains a queue's worth in less than a second then sits
/// idle while the broker holds more: catching up a backlog ran at a fraction of its speed. Any
/// request to a broker wakes its thread, so after a poll that came back empty while a partition
/// is behind, this sends the cheapest one: a ListOffsets for that partition.
/// </summary>
/// <remarks>Used from the thread that polls the consumer.</remarks>
internal sealed class FetcherWakeUp
{
    /// <summary>Wake-ups are sent at most this often, so an ordinary pause between fetches costs little.</summary>
    private const long IntervalMs = 10;

    private long lastMs = long.MinValue / 2;

    /// <summary>Call after a poll that returned nothing; wakes the fetcher when a partition is behind its end offset as last fetched.</summary>
    /// <returns>True when a wake-up was sent.</returns>
    public bool OnEmptyPoll<TKey, TValue>(IConsumer<TKey, TValue> consumer)
    {
        var now = Environment.TickCount64;
        if (now - lastMs < IntervalMs)
        {
            return false;
        }

        lastMs = now;
        try
        {
            if (MostBehind(consumer) is not { } partition)
            {
                return false;
            }

            consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (KafkaException)
        {
            // Only a wake-up call: a partition that just left the assignment, or a broker too
            // slow to answer, is no reason to fail the consumer; it is fetched from when it can be.
            return false;
        }
    }

    /// <summary>The assigned partition furthest behind its end offset as last fetched (no broker round trip); null when none is known to be behind.</summary>
    private static TopicPartition? MostBehind<TKey, TValue>(IConsumer<TKey, TValue> consumer)
    {
        TopicPartition? behind = null;
        long most = 0;
        foreach (var tp in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(tp).High;
            var position = consumer.Position(tp);
            if (high.IsSpecial || position.IsSpecial)
            {
                continue;
            }

            if (high.Value - position.Value > most)
            {
                most = high.Value - position.Value;
                behind = tp;
            }
        }

        return behind;
    }
}
