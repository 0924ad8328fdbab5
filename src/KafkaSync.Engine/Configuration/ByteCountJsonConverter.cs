using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaSync.Engine.Configuration;

/// <summary>Reads a byte count written either as a number or as a size string ("64MiB"); writes the string form.</summary>
internal sealed class ByteCountJsonConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt64();
        }

        try
        {
            return ByteSize.Parse(reader.GetString() ?? "", "size").Bytes;
        }
        catch (OptionsException ex)
        {
            // A JsonException lets the config loader name the field by its JSON path.
            throw new JsonException(ex.Problem);
        }
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ByteSize.Format(value).Replace(" ", "", StringComparison.Ordinal));
}
