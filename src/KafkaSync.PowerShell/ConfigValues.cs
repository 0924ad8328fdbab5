using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.PowerShell;

/// <summary>
/// Reads an agent's or service's options the ways PowerShell users give settings: a JSON file, a
/// .psd1 data file (read as data, never run), or a hashtable whose keys are the JSON fields.
/// </summary>
internal static class ConfigValues
{
    /// <summary>Loads options of <typeparamref name="T"/> from a .json or .psd1 file.</summary>
    public static T Load<T>(string path)
    {
        if (!path.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
        {
            return ConfigFile.Load<T>(path);
        }

        if (!File.Exists(path))
        {
            throw new OptionsException("config", $"the file '{path}' does not exist; pass the path of a JSON or .psd1 config.");
        }

        var ast = Parser.ParseFile(path, out _, out var errors);
        var data = errors.Length == 0 ? ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst : null;
        if (data is null)
        {
            var problem = errors.Length > 0 ? errors[0].Message : "it holds no hashtable";
            throw new OptionsException("config", $"'{path}' is not a PowerShell data file: {problem}.");
        }

        object? values;
        try
        {
            // SafeGetValue evaluates constants only: a data file can never run code here.
            values = data.SafeGetValue();
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsException("config", $"'{path}' may hold only constant values: {ex.Message}");
        }

        return (T)FromValues(values, typeof(T), path);
    }

    /// <summary>Options of <paramref name="type"/> from a hashtable (nested hashtables and arrays allowed).</summary>
    public static object FromValues(object? values, Type type, string source) =>
        ConfigFile.Parse(JsonSerializer.Serialize(Plain(values)), type, source);

    private static object? Plain(object? value)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        return value switch
        {
            null or string or bool => value,
            IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => Plain(map[k]), StringComparer.Ordinal),
            IEnumerable items => items.Cast<object?>().Select(Plain).ToList(),
            TimeSpan span => Duration.Format(span),
            _ when value.GetType().IsPrimitive || value is decimal => value,
            _ => value.ToString(),
        };
    }
}
