using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaSync.Engine.Sync;

/// <summary>Reads an enum by its camelCase name; a wrong name fails with the list of allowed ones.</summary>
internal sealed class EnumNameConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly string Allowed = string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName));

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null && !text.Any(char.IsAsciiDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
        {
            return value;
        }

        throw new JsonException($"'{text ?? reader.TokenType.ToString()}' is not allowed; use one of: {Allowed}.");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
}
