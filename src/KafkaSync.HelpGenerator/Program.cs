// Writes MAML help for every cmdlet in an assembly from its XML doc comments.
//   KafkaSync.HelpGenerator <cmdlets.dll> <references.txt> <output-Help.xml>
// references.txt lists, one a line, the assemblies the cmdlets assembly was compiled against
// (the build's ReferencePath): the metadata of its parameter and output types is read from them.
// Doc comments are read from every XML doc file beside the cmdlets assembly.
using System.Reflection;
using KafkaSync.HelpGenerator;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: KafkaSync.HelpGenerator <cmdlets.dll> <references.txt> <output-Help.xml>");
    return 2;
}

var (assemblyPath, referencesPath, outputPath) = (Path.GetFullPath(args[0]), args[1], args[2]);
var assemblyDir = Path.GetDirectoryName(assemblyPath)!;
// The built assemblies beside the cmdlets come first, so a type resolves to the assembly whose docs we read.
var references = Directory.GetFiles(assemblyDir, "*.dll")
    .Concat(File.ReadAllLines(referencesPath).Where(l => l.Trim().Length > 0))
    .Append(assemblyPath)
    .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase);
using var context = new MetadataLoadContext(new PathAssemblyResolver(references));
var docs = new XmlDocs(Directory.GetFiles(assemblyDir, "*.xml"));
var cmdlets = new CmdletReader(docs).Read(context.LoadFromAssemblyPath(assemblyPath)).ToList();

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
MamlWriter.Write(cmdlets).Save(outputPath);
Console.WriteLine($"KafkaSync.HelpGenerator: help for {cmdlets.Count} cmdlets in {outputPath}");
return 0;
