using System.Globalization;
using System.Text;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// A queue record as an operator reads it: decoded when its payload is a serialized
/// <see cref="KafkaRecord"/> (topic, partition, offset, key and value previews), otherwise its
/// size and leading bytes in hex.
/// </summary>
public sealed record QueueRecordView
{
    private const int PreviewChars = 64;

    /// <summary>The record's seq.</summary>
    public required long Seq { get; init; }

    /// <summary>Payload size in bytes.</summary>
    public required int Size { get; init; }

    /// <summary>True when the payload decoded as a Kafka record (not a control record of the agents).</summary>
    public required bool IsKafkaRecord { get; init; }

    /// <summary>
    /// What a control record tells, e.g. "topic orders has 4 partitions" for the record a source
    /// agent queues before a topic's first records; null for data.
    /// </summary>
    public string? Control { get; init; }

    /// <summary>The source topic, when a Kafka record.</summary>
    public string? Topic { get; init; }

    /// <summary>The source partition, when a Kafka record.</summary>
    public int? Partition { get; init; }

    /// <summary>The source offset, when a Kafka record.</summary>
    public long? Offset { get; init; }

    /// <summary>The Kafka timestamp, when a Kafka record that has one.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The key: text when printable, else hex; null when absent.</summary>
    public string? Key { get; init; }

    /// <summary>The start of the value: text when printable, else hex; null for a tombstone.</summary>
    public string? Value { get; init; }

    /// <summary>How many headers the Kafka record has.</summary>
    public int Headers { get; init; }

    /// <summary>The leading payload bytes in hex, when not a Kafka record.</summary>
    public string? Hex { get; init; }

    /// <summary>Decodes <paramref name="record"/> for display.</summary>
    public static QueueRecordView From(QueueRecord record)
    {
        var payload = record.Payload.Span;
        try
        {
            var kafka = KafkaRecordSerializer.Deserialize(payload);
            if (kafka.Topic.Length == 0)
            {
                // A topic descriptor (Sync/TopicDescriptor): no Kafka topic has an empty name.
                var described = Encoding.UTF8.GetString(kafka.Value ?? []);
                return new QueueRecordView
                {
                    Seq = record.Seq,
                    Size = payload.Length,
                    IsKafkaRecord = false,
                    Topic = described,
                    Control = string.Create(CultureInfo.InvariantCulture, $"topic {described} has {kafka.Partition} partitions"),
                };
            }

            return new QueueRecordView
            {
                Seq = record.Seq,
                Size = payload.Length,
                IsKafkaRecord = true,
                Topic = kafka.Topic,
                Partition = kafka.Partition,
                Offset = kafka.Offset,
                Timestamp = kafka.TimestampType == KafkaTimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(kafka.Timestamp, -62135596800000, 253402300799999)),
                Key = kafka.Key is null ? null : Preview(kafka.Key),
                Value = kafka.Value is null ? null : Preview(kafka.Value),
                Headers = kafka.Headers.Count,
            };
        }
        catch (InvalidDataException)
        {
            return new QueueRecordView
            {
                Seq = record.Seq,
                Size = payload.Length,
                IsKafkaRecord = false,
                Hex = Convert.ToHexString(payload[..Math.Min(payload.Length, PreviewChars / 2)]).ToLowerInvariant() + (payload.Length > PreviewChars / 2 ? "…" : ""),
            };
        }
        catch (OverflowException)
        {
            return new QueueRecordView { Seq = record.Seq, Size = payload.Length, IsKafkaRecord = false, Hex = Convert.ToHexString(payload[..Math.Min(payload.Length, PreviewChars / 2)]).ToLowerInvariant() };
        }
    }

    /// <summary>One line: "topic[partition]@offset key=… value=…" or "N bytes: hex…".</summary>
    public override string ToString() => IsKafkaRecord
        ? string.Create(CultureInfo.InvariantCulture, $"{Topic}[{Partition}]@{Offset} key={Key ?? "null"} value={Value ?? "null"}{(Headers > 0 ? $" headers={Headers}" : "")}")
        : string.Create(CultureInfo.InvariantCulture, $"{Size} bytes: {Hex}");

    private static string Preview(byte[] bytes)
    {
        var slice = bytes.AsSpan(0, Math.Min(bytes.Length, PreviewChars));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(slice);
        }
        catch (DecoderFallbackException)
        {
            text = "";
        }

        var printable = (slice.Length == 0 || text.Length > 0) && text.All(c => !char.IsControl(c) || c is '\t');
        var shown = printable ? "\"" + text + "\"" : "0x" + Convert.ToHexString(slice[..Math.Min(slice.Length, PreviewChars / 2)]).ToLowerInvariant();
        return bytes.Length > slice.Length || (!printable && slice.Length > PreviewChars / 2) ? shown + "…" : shown;
    }
}
