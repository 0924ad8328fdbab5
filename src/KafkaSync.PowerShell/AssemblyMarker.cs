namespace KafkaSync.PowerShell;

/// <summary>Names the module assembly for tools and tests that need to find it.</summary>
public static class AssemblyMarker
{
}
