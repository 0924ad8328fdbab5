using System.Text.Json;
using System.Text.Json.Serialization;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Framing;

/// <summary>Reads a byte count written as a number or as people write sizes ("256KiB", "16MiB"); writes it as a size.</summary>
internal sealed class SizeInt32JsonConverter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        ByteSize size;
        try
        {
            size = ByteSize.Parse(reader.GetString() ?? "", "size");
        }
        catch (OptionsException ex)
        {
            // As a JsonException the config loader names the field it was read for.
            throw new JsonException(ex.Problem, ex);
        }

        if (size.Bytes is < 0 or > int.MaxValue)
        {
            throw new JsonException($"{size} is larger than {ByteSize.Format(int.MaxValue)}.");
        }

        return (int)size.Bytes;
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ByteSize.Format(value));
}
