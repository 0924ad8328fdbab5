using Microsoft.Win32.SafeHandles;

namespace KafkaSync.Engine.Native;

// Native zstd objects, freed exactly once even when a finalizer races Dispose.

/// <summary>A ZSTD_CCtx*.</summary>
internal sealed class ZstdCompressionContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static ZstdCompressionContextHandle Create()
    {
        var handle = new ZstdCompressionContextHandle();
        handle.SetHandle(ZstdNative.CreateCCtx());
        return handle.IsInvalid ? throw new OutOfMemoryException("ZSTD_createCCtx failed.") : handle;
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeCCtx(handle);
        return true;
    }
}

/// <summary>A ZSTD_DCtx*.</summary>
internal sealed class ZstdDecompressionContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static ZstdDecompressionContextHandle Create()
    {
        var handle = new ZstdDecompressionContextHandle();
        handle.SetHandle(ZstdNative.CreateDCtx());
        return handle.IsInvalid ? throw new OutOfMemoryException("ZSTD_createDCtx failed.") : handle;
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeDCtx(handle);
        return true;
    }
}

/// <summary>A ZSTD_CDict* (a dictionary digested for one compression level).</summary>
internal sealed class ZstdCDictHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static unsafe ZstdCDictHandle Create(ReadOnlySpan<byte> content, int level)
    {
        var handle = new ZstdCDictHandle();
        fixed (byte* p = content)
        {
            handle.SetHandle(ZstdNative.CreateCDict(p, (nuint)content.Length, level));
        }

        return handle.IsInvalid ? throw new ZstdException("ZSTD_createCDict", "the dictionary could not be loaded") : handle;
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeCDict(handle);
        return true;
    }
}

/// <summary>A ZSTD_DDict*.</summary>
internal sealed class ZstdDDictHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static unsafe ZstdDDictHandle Create(ReadOnlySpan<byte> content)
    {
        var handle = new ZstdDDictHandle();
        fixed (byte* p = content)
        {
            handle.SetHandle(ZstdNative.CreateDDict(p, (nuint)content.Length));
        }

        return handle.IsInvalid ? throw new ZstdException("ZSTD_createDDict", "the dictionary could not be loaded") : handle;
    }

    protected override bool ReleaseHandle()
    {
        ZstdNative.FreeDDict(handle);
        return true;
    }
}
