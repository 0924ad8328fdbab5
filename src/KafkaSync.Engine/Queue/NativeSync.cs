using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Queue;

/// <summary>
/// fdatasync and directory fsync, which .NET does not offer (<c>FileStream.Flush(true)</c> is a
/// full fsync, which also writes metadata the queue does not need).
/// </summary>
internal static partial class NativeSync
{
    private const int ODirectory = 0x10000;

    private static bool s_native = OperatingSystem.IsLinux();

    public static void DataSync(SafeFileHandle handle, string path)
    {
        if (s_native)
        {
            try
            {
                if (FDataSync(handle) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new IOException($"fdatasync of '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                return;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                s_native = false;
            }
        }

        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Makes a created, renamed or deleted directory entry durable.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!s_native)
        {
            return;
        }

        var fd = Open(directory, ODirectory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of directory '{directory}' failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
