using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaSync.Engine.Configuration;

/// <summary>
/// Reads an agent's JSON config into its options record. Comments and trailing commas are
/// allowed (the shipped examples are commented); unknown fields are errors, so a typo never
/// silently falls back to a default. Sizes and durations may be written as strings ("64MiB", "5s").
/// </summary>
public static class ConfigFile
{
    /// <summary>The serializer settings every config and status file uses.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters =
        {
            new JsonStringEnumConverter(JsonNamingPolicy.CamelCase),
            new TimeSpanConverter(),
        },
    };

    /// <summary>Loads <typeparamref name="T"/> from the file at <paramref name="path"/>.</summary>
    /// <exception cref="OptionsException">The file is missing or not valid; the message names the field.</exception>
    public static T Load<T>(string path)
    {
        if (!File.Exists(path))
        {
            throw new OptionsException("config", $"the file '{path}' does not exist; pass the path of a JSON config (examples are in the module's examples folder).");
        }

        return Parse<T>(File.ReadAllText(path), path);
    }

    /// <summary>Parses <typeparamref name="T"/> from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static T Parse<T>(string json, string source = "config") => (T)Parse(json, typeof(T), source);

    /// <summary>Parses an options object of <paramref name="type"/> from JSON text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="OptionsException">The text is not valid for <paramref name="type"/>; the message names the field.</exception>
    public static object Parse(string json, Type type, string source = "config")
    {
        try
        {
            return JsonSerializer.Deserialize(json, type, Json)
                ?? throw new OptionsException("config", $"{source} is empty; it must hold a JSON object.");
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) ? "config" : ex.Path.TrimStart('$', '.');
            var detail = ex.InnerException?.Message ?? ex.Message;
            if (detail.Contains("could not be mapped", StringComparison.Ordinal))
            {
                detail = "this field is not known; check its spelling against the schema.";
            }

            throw new OptionsException(field, $"{detail} (in {source}, line {ex.LineNumber + 1})");
        }
        catch (OptionsException ex) when (!ex.Message.Contains(source, StringComparison.Ordinal))
        {
            throw new OptionsException(ex.Field, $"{ex.Problem} (in {source})");
        }
    }

    /// <summary>Reads durations as "5s"/"250ms"/"00:00:05" or a number of milliseconds.</summary>
    private sealed class TimeSpanConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? TimeSpan.FromMilliseconds(reader.GetDouble())
                : Duration.Parse(reader.GetString() ?? "", "duration");

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Duration.Format(value));
    }
}
