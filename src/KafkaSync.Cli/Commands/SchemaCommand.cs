using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Sync;

namespace KafkaSync.Cli.Commands;

/// <summary>
/// `kafkasync schema source|target`: prints the JSON schema of an agent config, generated from the
/// options records and their XML docs, so the published schema never drifts from the code.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var agent = new Argument<string>("agent") { Description = "source, target or tsdb." };
        agent.AcceptOnlyFromAmong("source", "target", "tsdb");
        var command = new Command("schema", "Print the JSON schema of the source or target agent's config file, or of the time-series cluster's.") { agent };
        command.SetAction(parse =>
        {
            Console.Out.WriteLine(Generate(parse.GetValue(agent) switch
            {
                "source" => typeof(SourceAgentOptions),
                "target" => typeof(TargetAgentOptions),
                _ => typeof(KafkaSync.Engine.Tsdb.TsdbClusterOptions),
            }));
            return CliRun.Ok;
        });
        return command;
    }

    public static string Generate(Type options)
    {
        var docs = LoadDocs(options.Assembly);
        var json = new JsonSerializerOptions(ConfigFile.Json) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var schema = json.GetJsonSchemaAsNode(options, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Describe(context, node, docs),
        });
        var ordered = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = options == typeof(KafkaSync.Engine.Tsdb.TsdbClusterOptions)
                ? "KafkaSync time-series cluster config"
                : $"KafkaSync {(options == typeof(SourceAgentOptions) ? "source" : "target")} agent config",
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(key);
            ordered[key] = value;
        }

        return ordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode node, Dictionary<string, string> docs)
    {
        var type = context.PropertyInfo?.PropertyType ?? context.TypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        // Values read by custom converters: say what they accept.
        JsonObject? replaced = underlying == typeof(TimeSpan) ? new JsonObject { ["type"] = new JsonArray("string", "number"), ["examples"] = new JsonArray("250ms", "5s", "2m") }
            : underlying == typeof(ByteSize) ? new JsonObject { ["type"] = new JsonArray("string", "integer"), ["examples"] = new JsonArray("64MiB", "8GiB") }
            : context.PropertyInfo?.CustomConverter is not null && (underlying == typeof(long) || underlying == typeof(int)) ? new JsonObject { ["type"] = new JsonArray("string", "integer"), ["examples"] = new JsonArray("256KiB", "16MiB") }
            : underlying.IsEnum ? new JsonObject { ["enum"] = new JsonArray(Enum.GetNames(underlying).Select(n => (JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n)).ToArray()) }
            : null;
        var result = replaced ?? (node as JsonObject ?? new JsonObject());
        if (context.PropertyInfo?.AttributeProvider is MemberInfo member
            && docs.TryGetValue($"P:{member.DeclaringType!.FullName}.{member.Name}", out var text))
        {
            result["description"] = text;
        }

        return result;
    }

    private static Dictionary<string, string> LoadDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            return [];
        }

        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .GroupBy(m => (string)m.Attribute("name")!)
            .ToDictionary(g => g.Key, g => string.Join(" ", string.Concat(g.First().Element("summary")!.Nodes().Select(Text)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    private static string Text(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e => ((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? "").Split('.', ':').Last(),
        XElement e => e.Value,
        _ => "",
    };
}
