namespace KafkaSync.HelpGenerator;

/// <summary>Everything Get-Help shows for one cmdlet, gathered from its metadata and XML doc comments.</summary>
internal sealed record CmdletHelp(
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<LinkHelp> Links)
{
    public string Name => $"{Verb}-{Noun}";
}

/// <summary>One parameter as the cmdlet declares it; <see cref="Sets"/> holds how each parameter set uses it.</summary>
internal sealed record ParameterHelp(
    string Name,
    string TypeName,
    string FullTypeName,
    bool IsSwitch,
    bool IsArray,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> Aliases,
    bool Globbing,
    string? DefaultValue,
    IReadOnlyList<string> PossibleValues,
    IReadOnlyDictionary<string, ParameterUse> Sets);

/// <summary>How one parameter set uses a parameter (from one [Parameter] attribute).</summary>
internal sealed record ParameterUse(bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>One syntax line: a parameter set and its parameters, in the order Get-Command shows them.</summary>
internal sealed record SyntaxHelp(string SetName, IReadOnlyList<(ParameterHelp Parameter, ParameterUse Use)> Parameters);

/// <summary>An input or output type with what it means.</summary>
internal sealed record TypeHelp(string TypeName, string Description);

/// <summary>An example: a title, the code, and what it does.</summary>
internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A related link: a command or about_ topic (no URI) or a web page.</summary>
internal sealed record LinkHelp(string Text, string? Uri);
