using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Link;

namespace KafkaSync.Engine.Sync;

/// <summary>Picks the link key from exactly one of: a key given in code (a PSCredential), a file, an environment variable.</summary>
internal static class AgentLinkKey
{
    public static LinkKey Resolve(LinkKey? given, string? file, string? variable)
    {
        var count = (given is null ? 0 : 1) + (file is null ? 0 : 1) + (variable is null ? 0 : 1);
        if (count == 0)
        {
            throw new OptionsException("linkKeyFile", "the link needs its pre-shared key: set linkKeyFile or linkKeyEnvironmentVariable (or pass a credential).");
        }

        if (count > 1)
        {
            throw new OptionsException("linkKeyFile", "give the link key only once: a credential, linkKeyFile or linkKeyEnvironmentVariable.");
        }

        try
        {
            return given ?? (file is not null ? LinkKey.FromFile(file) : LinkKey.FromEnvironment(variable!));
        }
        catch (OptionsException ex)
        {
            throw new OptionsException(file is not null ? "linkKeyFile" : "linkKeyEnvironmentVariable", ex.Problem);
        }
    }

    /// <summary>Re-throws a link option error with its place in the agent config ("link.windowBytes").</summary>
    public static void Validate(Action validate)
    {
        try
        {
            validate();
        }
        catch (OptionsException ex) when (!ex.Field.StartsWith("link.", StringComparison.Ordinal))
        {
            throw new OptionsException("link." + ex.Field, ex.Problem);
        }
    }
}
