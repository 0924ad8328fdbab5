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

    /// <summary>How long to wait for the wake-up request's answer, which nobody needs.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(5);

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

            // Only the request matters, not its answer: sending it wakes the thread. Waiting
            // briefly keeps the polling thread from stalling on a broker that is down.
            consumer.QueryWatermarkOffsets(partition, AnswerWait);
            return true;
        }
        catch (KafkaException)
        {
            // Usually the answer's wait timing out. Otherwise a partition that just left the
            // assignment: no reason to fail the consumer either.
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
