using System.Reflection;
using System.Xml.Linq;

namespace KafkaSync.HelpGenerator;

/// <summary>
/// Finds the cmdlets of an assembly by their [Cmdlet] attribute and gathers their help from the
/// attributes and the XML doc comments. Works on metadata only, so neither the cmdlets nor
/// PowerShell are ever loaded to run.
/// </summary>
/// <remarks>
/// Doc conventions, on the cmdlet class: &lt;summary&gt; holds &lt;para type="synopsis"&gt; and
/// &lt;para type="description"&gt; paragraphs; &lt;remarks&gt; become the notes; each &lt;example&gt; holds
/// &lt;code&gt; and paragraphs that explain it (an optional title attribute names it); each
/// &lt;para type="link"&gt; (with uri="…" for a web page) is a related link. On a parameter property:
/// &lt;summary&gt; describes it, &lt;value&gt; names its default.
/// </remarks>
internal sealed class CmdletReader(XmlDocs docs)
{
    private const string Automation = "System.Management.Automation.";
    private const string AllSets = "__AllParameterSets";

    public IEnumerable<CmdletHelp> Read(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract)
            .Select(t => (Type: t, Cmdlet: Attribute(t.GetCustomAttributesData(), "CmdletAttribute")))
            .Where(c => c.Cmdlet is not null)
            .Select(c => ReadCmdlet(c.Type, c.Cmdlet!))
            .OrderBy(c => c.Name, StringComparer.Ordinal);

    private CmdletHelp ReadCmdlet(Type type, CustomAttributeData cmdlet)
    {
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var doc = docs.Member("T:" + DocName(type));
        var summary = doc?.Element("summary");

        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ReadParameter)
            .OfType<ParameterHelp>()
            .ToList();
        if (Named<bool>(cmdlet, "SupportsShouldProcess"))
        {
            parameters.Add(CommonSwitch("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run.", "wi"));
            parameters.Add(CommonSwitch("Confirm", "Prompts you for confirmation before running the cmdlet.", "cf"));
        }

        return new CmdletHelp(
            verb,
            noun,
            XmlDocs.TypedParas(summary, "synopsis").Select(XmlDocs.Text).FirstOrDefault() ?? "",
            XmlDocs.TypedParas(summary, "description").Select(XmlDocs.Text).ToList(),
            parameters,
            Syntax(parameters, Named<string>(cmdlet, "DefaultParameterSetName")),
            Inputs(parameters),
            Outputs(type),
            XmlDocs.Paragraphs(doc?.Element("remarks")),
            Examples(doc),
            XmlDocs.TypedParas(doc, "link").Select(l => new LinkHelp(XmlDocs.Text(l), (string?)l.Attribute("uri"))).ToList());
    }

    private ParameterHelp? ReadParameter(PropertyInfo property)
    {
        var uses = property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "ParameterAttribute").ToList();
        if (uses.Count == 0)
        {
            return null;
        }

        var sets = new Dictionary<string, ParameterUse>(StringComparer.Ordinal);
        foreach (var use in uses)
        {
            var position = Named<int?>(use, "Position");
            sets[Named<string>(use, "ParameterSetName") ?? AllSets] = new ParameterUse(
                Named<bool>(use, "Mandatory"),
                position is >= 0 ? position : null,
                Named<bool>(use, "ValueFromPipeline"),
                Named<bool>(use, "ValueFromPipelineByPropertyName"));
        }

        var attributes = property.GetCustomAttributesData();
        var aliases = Attribute(attributes, "AliasAttribute") is { } alias
            ? ((IEnumerable<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!).Select(a => (string)a.Value!).ToList()
            : [];
        var validValues = Attribute(attributes, "ValidateSetAttribute") is { } set
            ? ((IEnumerable<CustomAttributeTypedArgument>)set.ConstructorArguments[0].Value!).Select(a => (string)a.Value!).ToList()
            : [];
        var type = UnwrapNullable(property.PropertyType);
        var element = type.IsArray ? type.GetElementType()! : type;
        if (validValues.Count == 0 && element.IsEnum)
        {
            validValues = element.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList();
        }

        var doc = ParameterDoc(property);
        return new ParameterHelp(
            property.Name,
            type.Name,
            type.FullName ?? type.Name,
            type.FullName == Automation + "SwitchParameter",
            type.IsArray,
            XmlDocs.Paragraphs(doc?.Element("summary")),
            aliases,
            Attribute(attributes, "SupportsWildcardsAttribute") is not null,
            doc?.Element("value") is { } value ? XmlDocs.Text(value) : null,
            validValues,
            sets);
    }

    // A parameter is documented where it is declared; an override without a summary takes its base's.
    private XElement? ParameterDoc(PropertyInfo property)
    {
        for (var type = property.DeclaringType; type is not null; type = type.BaseType)
        {
            if (docs.Member($"P:{DocName(type)}.{property.Name}") is { } doc && doc.Element("summary") is not null)
            {
                return doc;
            }
        }

        return null;
    }

    private static ParameterHelp CommonSwitch(string name, string description, string alias) =>
        new(name, "SwitchParameter", Automation + "SwitchParameter", true, false, [description], [alias], false, "False", [],
            new Dictionary<string, ParameterUse> { [AllSets] = new(false, null, false, false) });

    // One syntax line per parameter set (or one when there are none), ordered as Get-Command
    // orders them: positional by position, then mandatory, then the rest as declared.
    private static List<SyntaxHelp> Syntax(List<ParameterHelp> parameters, string? defaultSet)
    {
        var setNames = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().ToList();
        if (setNames.Count == 0)
        {
            setNames.Add(AllSets);
        }

        return setNames
            .OrderBy(s => s == defaultSet ? 0 : 1)
            .Select(set => new SyntaxHelp(set, parameters
                .Select(p => (Parameter: p, Use: p.Sets.GetValueOrDefault(set) ?? p.Sets.GetValueOrDefault(AllSets)))
                .Where(p => p.Use is not null)
                .Select(p => (p.Parameter, Use: p.Use!))
                .OrderBy(p => p.Use.Position ?? int.MaxValue)
                .ThenBy(p => p.Use.Mandatory ? 0 : 1)
                .ToList()))
            .ToList();
    }

    // What the pipeline can bind: each type, with the parameters that take it by value or by property name.
    private static List<TypeHelp> Inputs(List<ParameterHelp> parameters)
    {
        var inputs = parameters
            .Where(p => p.Sets.Values.Any(u => u.ByValue || u.ByPropertyName))
            .GroupBy(p => p.FullTypeName)
            .Select(g => new TypeHelp(g.Key, string.Join(" ", g.Select(InputDescription))))
            .ToList();
        return inputs.Count > 0 ? inputs : [new TypeHelp("None", "This cmdlet takes no input from the pipeline.")];
    }

    private static string InputDescription(ParameterHelp p)
    {
        var byValue = p.Sets.Values.Any(u => u.ByValue);
        var byName = p.Sets.Values.Any(u => u.ByPropertyName);
        var names = string.Join(" or ", new[] { p.Name }.Concat(p.Aliases));
        return (byValue, byName) switch
        {
            (true, true) => $"-{p.Name} takes piped values, and the value of a property named {names} of piped objects.",
            (true, false) => $"-{p.Name} takes piped values.",
            _ => $"-{p.Name} takes the value of a property named {names} of piped objects.",
        };
    }

    // [OutputType] names the types; each type's own doc summary says what it is.
    private List<TypeHelp> Outputs(Type type)
    {
        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Automation + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments[0].Value is IEnumerable<CustomAttributeTypedArgument> list ? list : [a.ConstructorArguments[0]])
            .Select(a => a.Value as Type)
            .OfType<Type>()
            .Where(t => t.FullName != "System.Void")
            .Select(t => new TypeHelp(t.FullName!, XmlDocs.Paragraphs(docs.Member("T:" + DocName(t))?.Element("summary")).FirstOrDefault() ?? ""))
            .ToList();
        return outputs.Count > 0 ? outputs : [new TypeHelp("None", "This cmdlet writes no objects to the pipeline.")];
    }

    private static List<ExampleHelp> Examples(XElement? doc) =>
        (doc?.Elements("example") ?? []).Select((e, i) => new ExampleHelp(
            (string?)e.Attribute("title") is { } title ? $"Example {i + 1}: {title}" : $"Example {i + 1}",
            e.Element("code") is { } code ? XmlDocs.Code(code) : "",
            XmlDocs.Paragraphs(new XElement("remarks", e.Nodes().Where(n => n is not XElement { Name.LocalName: "code" })))))
        .ToList();

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Automation + name);

    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    // Nullable.GetUnderlyingType compares with the running runtime's Nullable<>, never a metadata-only type.
    private static Type UnwrapNullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    // Doc ids name nested types with a dot where reflection uses a plus.
    private static string DocName(Type type) => type.FullName!.Replace('+', '.');
}
