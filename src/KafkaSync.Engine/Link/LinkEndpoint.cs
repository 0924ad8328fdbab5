using System.Globalization;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Link;

/// <summary>A host and port written as <c>host:port</c> (<c>[v6]:port</c> for IPv6 literals).</summary>
public readonly record struct LinkEndpoint(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>; throws <see cref="OptionsException"/> naming <paramref name="field"/>.</summary>
    public static LinkEndpoint Parse(string text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new OptionsException(field, "give host:port, e.g. target.example.net:7070.");
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new OptionsException(field, $"'{text}' is not host:port; give e.g. target.example.net:7070 or 0.0.0.0:7070.");
        }

        var host = text[..colon].Trim('[', ']');
        return new LinkEndpoint(host, port);
    }

    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
