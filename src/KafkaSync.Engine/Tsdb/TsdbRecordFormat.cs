namespace KafkaSync.Engine.Tsdb;

/// <summary>What the topic's records hold.</summary>
public enum TsdbRecordFormat
{
    /// <summary>InfluxDB line protocol, one or more lines per record.</summary>
    LineProtocol,

    /// <summary>
    /// A JSON point <c>{"measurement":"cpu","tags":{"host":"a"},"fields":{"usage":0.5},"time":1700000000000}</c>
    /// or an array of them; converted to line protocol (see the user docs for the mapping).
    /// </summary>
    Json,
}
