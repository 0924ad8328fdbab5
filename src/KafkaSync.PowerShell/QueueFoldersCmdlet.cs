using System.Management.Automation;

namespace KafkaSync.PowerShell;

/// <summary>
/// What the cmdlets that read one or more queue folders share: -Path with wildcards (also from
/// the pipeline, as text or from an object's QueuePath) and -LiteralPath (also from Get-Item and
/// Get-ChildItem output through PSPath).
/// </summary>
public abstract class QueueFoldersCmdlet : PSCmdlet
{
    /// <summary>The name of the parameter set that takes -Path.</summary>
    public const string PathSet = "Path";

    /// <summary>The name of the parameter set that takes -LiteralPath.</summary>
    public const string LiteralPathSet = "LiteralPath";

    /// <summary>Queue folders; wildcards are expanded to the folders that exist.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("QueuePath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Queue folders, taken exactly as written (no wildcards).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The file-system paths of the folders given, wildcards expanded.</summary>
    private protected IEnumerable<string> QueueFolders() =>
        ParameterSetName == LiteralPathSet
            ? PowerShellPaths.Expand(this, LiteralPath, literal: true)
            : PowerShellPaths.Expand(this, Path, literal: false);
}
