namespace KafkaSync.Engine.Tsdb.Connectors;

/// <summary>
/// One record's place in a batch body, and what offset tracking and a dead letter need of it.
/// <c>Original</c> is the record's value when its lines were converted from it (JSON); null when
/// the lines are the value.
/// </summary>
internal readonly record struct BatchRecord(int Partition, long Offset, long Timestamp, int Start, int Length, int Points, byte[]? Original);
