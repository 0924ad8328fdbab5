namespace KafkaSync.Engine.Configuration;

/// <summary>
/// An invalid setting. The message names the field (as it is spelled in the JSON config and,
/// in kebab or Pascal case, on the command line and in cmdlets) and says how to fix it.
/// </summary>
public sealed class OptionsException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    /// <param name="field">The setting's name, e.g. <c>queue.segmentSize</c>.</param>
    /// <param name="problem">What is wrong and what is allowed, e.g. "must be between 1 MiB and 1 GiB".</param>
    public OptionsException(string field, string problem)
        : base($"Invalid setting '{field}': {problem}")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The setting that is wrong.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it and the allowed values.</summary>
    public string Problem { get; }

    /// <summary>Throws when <paramref name="value"/> lies outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void ThrowIfOutOfRange(string field, long value, long min, long max, Func<long, string>? format = null)
    {
        if (value < min || value > max)
        {
            format ??= static v => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new OptionsException(field, $"{format(value)} is out of range; use a value from {format(min)} to {format(max)}.");
        }
    }

    /// <summary>Throws when <paramref name="value"/> lies outside [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void ThrowIfOutOfRange(string field, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            throw new OptionsException(field, $"{Duration.Format(value)} is out of range; use a duration from {Duration.Format(min)} to {Duration.Format(max)}.");
        }
    }
}
