using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>Reads sizes as "64MiB" or a number of bytes; writes them as "64 MiB".</summary>
internal sealed class ByteSizeJsonConverter : JsonConverter<ByteSize>
{
    public override ByteSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? new ByteSize(reader.GetInt64())
            : ByteSize.Parse(reader.GetString() ?? "", "size");

    public override void Write(Utf8JsonWriter writer, ByteSize value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().Replace(" ", "", StringComparison.Ordinal));
}
