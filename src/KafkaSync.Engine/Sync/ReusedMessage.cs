using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaSync.Engine.Records;

namespace KafkaSync.Engine.Sync;

/// <summary>
/// One Confluent message, refilled for each record the exactly-once mode sends: the record's key,
/// value, headers and timestamp, plus the provenance headers when asked. Produce copies key, value and headers
/// into librdkafka before it returns, and with DeliveryReportFields "none" the delivery report
/// refers to none of them, so the message, its Headers and its header objects can serve every
/// record: that saves five to nine objects per record. Use it from one thread only.
/// </summary>
internal sealed class ReusedMessage(string? provenanceCluster, bool provenance)
{
    private readonly Message<byte[]?, byte[]?> _message = new();
    private readonly Dictionary<int, (Headers Headers, SettableHeader[] Items)> _headersByCount = [];
    private readonly byte[]? _cluster = provenanceCluster is null ? null : Encoding.UTF8.GetBytes(provenanceCluster);
    private (string Topic, byte[] Bytes)? _topic;

    /// <summary>The message for <paramref name="record"/>; valid until the next call.</summary>
    public Message<byte[]?, byte[]?> Fill(KafkaRecord record)
    {
        var source = record.Headers;
        var count = source.Count + (provenance ? (_cluster is null ? 3 : 4) : 0);
        var (headers, items) = HeadersOf(count);
        var i = 0;
        for (; i < source.Count; i++)
        {
            items[i].Set(source[i].Key, source[i].Value);
        }

        if (provenance)
        {
            if (_cluster is not null)
            {
                items[i++].Set(RecordMapping.SourceClusterHeader, _cluster);
            }

            items[i++].Set(RecordMapping.SourceTopicHeader, TopicBytes(record.Topic));
            items[i++].Set(RecordMapping.SourcePartitionHeader, Encoding.UTF8.GetBytes(record.Partition.ToString(CultureInfo.InvariantCulture)));
            items[i].Set(RecordMapping.SourceOffsetHeader, Encoding.UTF8.GetBytes(record.Offset.ToString(CultureInfo.InvariantCulture)));
        }

        _message.Key = record.Key;
        _message.Value = record.Value;
        _message.Headers = headers;
        _message.Timestamp = RecordMapping.TimestampOf(record);
        return _message;
    }

    private (Headers Headers, SettableHeader[] Items) HeadersOf(int count)
    {
        if (!_headersByCount.TryGetValue(count, out var set))
        {
            var items = new SettableHeader[count];
            var headers = new Headers();
            for (var i = 0; i < count; i++)
            {
                headers.Add(items[i] = new SettableHeader());
            }

            _headersByCount[count] = set = (headers, items);
        }

        return set;
    }

    private byte[] TopicBytes(string topic)
    {
        if (_topic is { } last && ReferenceEquals(last.Topic, topic))
        {
            return last.Bytes;
        }

        var bytes = Encoding.UTF8.GetBytes(topic);
        _topic = (topic, bytes);
        return bytes;
    }

    /// <summary>A header whose key and value are replaced for each record.</summary>
    private sealed class SettableHeader : IHeader
    {
        private byte[]? _value;

        public string Key { get; private set; } = "";

        public void Set(string key, byte[]? value)
        {
            Key = key;
            _value = value;
        }

        public byte[]? GetValueBytes() => _value;
    }
}
