using System.Diagnostics;

namespace KafkaSync.Engine.Tests.Queue;

/// <summary>A small tmpfs mounted for one test (the test machines run as root): a real disk that fills up, and grows on remount.</summary>
internal sealed class TmpfsMount : IDisposable
{
    public TmpfsMount(string size)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ks-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        Run("mount", $"-t tmpfs -o size={size} tmpfs {Path}");
    }

    public string Path { get; }

    /// <summary>Gives the file system <paramref name="size"/> in all; its files stay.</summary>
    public void Resize(string size) => Run("mount", $"-o remount,size={size} tmpfs {Path}");

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void Dispose()
    {
        // Lazy: a failed test may still hold a file open, and its own error must be the one reported.
        using var process = Process.Start(new ProcessStartInfo("umount", $"-l {Path}") { RedirectStandardError = true })!;
        process.WaitForExit();
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {arguments} failed: {error}");
    }
}
