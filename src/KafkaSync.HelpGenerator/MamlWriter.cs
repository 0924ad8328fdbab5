using System.Xml.Linq;

namespace KafkaSync.HelpGenerator;

/// <summary>Writes cmdlet help as MAML, the XML that Get-Help reads from "&lt;assembly&gt;-Help.xml".</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<CmdletHelp> cmdlets) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                cmdlets.Select(CommandElement)));

    private static XElement CommandElement(CmdletHelp c) =>
        new(
            Command + "command",
            new XElement(
                Command + "details",
                new XElement(Command + "name", c.Name),
                new XElement(Command + "verb", c.Verb),
                new XElement(Command + "noun", c.Noun),
                Description(Maml, [c.Synopsis])),
            Description(Maml, c.Description),
            new XElement(Command + "syntax", c.Syntax.Select(s => new XElement(
                Command + "syntaxItem",
                new XElement(Maml + "name", c.Name),
                s.Parameters.Select(p => Parameter(p.Parameter, p.Use))))),
            new XElement(Command + "parameters", c.Parameters.Select(p => Parameter(p, Merge(p)))),
            new XElement(Command + "inputTypes", c.Inputs.Select(t => TypeElement(Command + "inputType", t))),
            new XElement(Command + "returnValues", c.Outputs.Select(t => TypeElement(Command + "returnValue", t))),
            c.Notes.Count > 0 ? new XElement(Maml + "alertSet", new XElement(Maml + "alert", c.Notes.Select(Para))) : null,
            new XElement(Command + "examples", c.Examples.Select(e => new XElement(
                Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                // The empty paragraph keeps a blank line between one example and the next title.
                new XElement(Dev + "remarks", e.Remarks.Append("").Select(Para))))),
            new XElement(Maml + "relatedLinks", c.Links.Select(l => new XElement(
                Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text),
                new XElement(Maml + "uri", l.Uri ?? "")))));

    private static XElement Parameter(ParameterHelp p, ParameterUse use) =>
        new(
            Command + "parameter",
            new XAttribute("required", Bool(use.Mandatory)),
            new XAttribute("variableLength", Bool(p.IsArray)),
            new XAttribute("globbing", Bool(p.Globbing)),
            new XAttribute("pipelineInput", PipelineInput(use)),
            new XAttribute("position", use.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name),
            Description(Maml, p.Description),
            p.PossibleValues.Count > 0
                ? new XElement(Command + "parameterValueGroup", p.PossibleValues.Select(v => new XElement(
                    Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                : null,
            p.IsSwitch
                ? null
                : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", Bool(p.IsArray)), p.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", p.FullTypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", p.DefaultValue ?? "None"));

    // The parameters section shows a parameter once: mandatory only if every set requires it.
    private static ParameterUse Merge(ParameterHelp p) =>
        new(
            p.Sets.Values.All(u => u.Mandatory),
            p.Sets.Values.Select(u => u.Position).FirstOrDefault(n => n is not null),
            p.Sets.Values.Any(u => u.ByValue),
            p.Sets.Values.Any(u => u.ByPropertyName));

    private static XElement TypeElement(XName name, TypeHelp t) =>
        new(name, new XElement(Dev + "type", new XElement(Maml + "name", t.TypeName), new XElement(Maml + "uri")), Description(Maml, [t.Description]));

    private static XElement Description(XNamespace ns, IEnumerable<string> paragraphs) =>
        new(ns + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string PipelineInput(ParameterUse use) => (use.ByValue, use.ByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}
