using System.Reflection;
using System.Text.RegularExpressions;

namespace KafkaSync.Surface.Tests.Module;

/// <summary>
/// The manifest checked against the compiled module without running it: what a user imports
/// must be exactly what the assembly defines (the Pester tests then run it in pwsh).
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly string Root = RepoRoot.Find();
    private static readonly string Manifest = File.ReadAllText(Path.Combine(Root, "KafkaSync.psd1"));

    [Fact]
    public void Exported_cmdlets_are_exactly_the_cmdlets_the_assembly_defines()
    {
        var exported = ListIn("CmdletsToExport").Order(StringComparer.Ordinal).ToArray();
        var defined = CmdletsInAssembly().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(defined, exported);
    }

    [Fact]
    public void Module_version_matches_the_assembly_version()
    {
        var version = ModuleVersionRegex().Match(Manifest).Groups[1].Value;
        var assemblyVersion = typeof(KafkaSync.Engine.Configuration.ByteSize).Assembly.GetName().Version!;
        Assert.Equal($"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}", version);
    }

    [Fact]
    public void Every_format_file_the_manifest_lists_exists_and_is_xml()
    {
        foreach (var file in ListIn("FormatsToProcess"))
        {
            var path = Path.Combine(Root, "module", file);
            Assert.True(File.Exists(path), $"{file} is listed in FormatsToProcess but module/{file} does not exist");
            System.Xml.Linq.XDocument.Load(path);
        }
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb()
    {
        string[] approved = ["Add", "Clear", "Get", "New", "Remove", "Set", "Start", "Stop", "Test", "Repair", "Invoke", "Wait", "Show", "Measure", "Reset", "Resume", "Suspend", "Restart", "Register", "Unregister", "Export", "Import", "Enable", "Disable", "Send", "Receive", "Initialize", "Update", "Compare", "Sync", "Watch"];
        foreach (var cmdlet in CmdletsInAssembly())
        {
            Assert.Contains(cmdlet.Split('-')[0], approved);
        }
    }

    private IEnumerable<string> ListIn(string key)
    {
        var match = Regex.Match(Manifest, key + @"\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline);
        Assert.True(match.Success, $"{key} is missing from KafkaSync.psd1");
        return QuotedRegex().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value);
    }

    private static IEnumerable<string> CmdletsInAssembly()
    {
        var assemblyPath = typeof(KafkaSync.PowerShell.AssemblyMarker).Assembly.Location;
        var runtime = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
        var local = Directory.GetFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll");
        // One reference assembly, the newest restored: a machine may hold several versions.
        var psLib = Directory.GetFiles(NuGetRoot(), "System.Management.Automation.dll", SearchOption.AllDirectories).OrderDescending(StringComparer.Ordinal).Take(1);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(runtime.Concat(local).Concat(psLib).Distinct()));
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        foreach (var type in assembly.GetTypes())
        {
            var attribute = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "CmdletAttribute");
            if (attribute is not null)
            {
                yield return $"{attribute.ConstructorArguments[0].Value}-{attribute.ConstructorArguments[1].Value}";
            }
        }
    }

    private static string NuGetRoot() =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), "powershellstandard.library");

    [GeneratedRegex(@"ModuleVersion\s*=\s*'([^']+)'")]
    private static partial Regex ModuleVersionRegex();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedRegex();
}
