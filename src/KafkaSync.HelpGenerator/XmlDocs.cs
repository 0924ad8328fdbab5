using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace KafkaSync.HelpGenerator;

/// <summary>
/// The compiler's XML doc files, by member id ("T:Ns.Type", "P:Ns.Type.Property"), and the text
/// of their elements as help shows it: one paragraph per &lt;para&gt;, wrapped lines joined.
/// </summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);

    /// <summary>Reads every doc file given; files whose root is not &lt;doc&gt; are skipped.</summary>
    public XmlDocs(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            XDocument document;
            try
            {
                document = XDocument.Load(file, LoadOptions.PreserveWhitespace);
            }
            catch (System.Xml.XmlException)
            {
                continue;
            }

            if (document.Root?.Name != "doc")
            {
                continue;
            }

            foreach (var member in document.Root.Descendants("member"))
            {
                _members[(string)member.Attribute("name")!] = member;
            }
        }
    }

    public XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>The paragraphs of an element: each &lt;para&gt; is one, and so is the text around them.</summary>
    public static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        if (element is null)
        {
            return [];
        }

        var paragraphs = new List<string>();
        var loose = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para)
            {
                Flush(loose, paragraphs);
                paragraphs.Add(Text(para));
            }
            else
            {
                loose.Append(RawText(node));
            }
        }

        Flush(loose, paragraphs);
        return paragraphs.Where(p => p.Length > 0).ToList();
    }

    /// <summary>The &lt;para type="..."&gt; paragraphs directly under <paramref name="element"/>.</summary>
    public static IEnumerable<XElement> TypedParas(XElement? element, string type) =>
        element?.Elements("para").Where(p => (string?)p.Attribute("type") == type) ?? [];

    /// <summary>Text with whitespace collapsed; references become the names they point to.</summary>
    public static string Text(XNode node) => Whitespace().Replace(RawText(node), " ").Trim();

    /// <summary>Code as written: the common indentation and the blank first and last lines removed.</summary>
    public static string Code(XElement code)
    {
        var lines = code.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        // Code that starts on the line of <code> has lost its indentation to the doc comment's
        // "/// <code>"; the common indentation is then that of the lines after it.
        var first = lines.Count > 1 && lines[0].Trim().Length > 0 ? lines[0].Trim() : null;
        if (first is not null)
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        var dedented = lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim());
        return string.Join("\n", first is null ? dedented : dedented.Prepend(first));
    }

    private static void Flush(StringBuilder loose, List<string> paragraphs)
    {
        var text = Whitespace().Replace(loose.ToString(), " ").Trim();
        if (text.Length > 0)
        {
            paragraphs.Add(text);
        }

        loose.Clear();
    }

    private static string RawText(XNode node) => node switch
    {
        XText text => text.Value,
        XElement { Name.LocalName: "see" or "seealso" } see => Reference(see),
        XElement { Name.LocalName: "paramref" or "typeparamref" } reference => (string?)reference.Attribute("name") ?? "",
        XElement element => string.Concat(element.Nodes().Select(RawText)),
        _ => "",
    };

    // <see cref="T:Ns.Type"/> reads as "Type", <see cref="P:Ns.Type.Member"/> as "Member", <see langword="null"/> as "null".
    private static string Reference(XElement see)
    {
        if (!see.IsEmpty)
        {
            return string.Concat(see.Nodes().Select(RawText));
        }

        var target = (string?)see.Attribute("cref") ?? (string?)see.Attribute("langword") ?? (string?)see.Attribute("href") ?? "";
        var name = target.Contains(':', StringComparison.Ordinal) ? target[(target.IndexOf(':', StringComparison.Ordinal) + 1)..] : target;
        var parenthesis = name.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            name = name[..parenthesis];
        }

        return see.Attribute("href") is not null ? name : name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
