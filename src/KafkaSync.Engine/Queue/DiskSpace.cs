namespace KafkaSync.Engine.Queue;

/// <summary>Recognises a full disk (or an exhausted quota) in an I/O error, and measures free space.</summary>
internal static class DiskSpace
{
    private const int ENOSPC = 28;
    private const int EDQUOT = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>
    /// True when <paramref name="ex"/> says the disk (or the user's quota) has no room: .NET keeps
    /// the errno as the HResult of most I/O errors, and words its own preallocation failure
    /// ("the disk was full") without one.
    /// </summary>
    public static bool IsFull(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException io
                && (io.HResult is ENOSPC or EDQUOT or WindowsDiskFull or WindowsHandleDiskFull
                    || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
                    || io.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase)
                    || io.Message.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Bytes free to this process on the file system holding <paramref name="path"/>; -1 when it cannot be told.</summary>
    public static long FreeBytes(string path)
    {
        try
        {
            return new DriveInfo(path).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return -1;
        }
    }
}
