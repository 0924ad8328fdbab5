using Microsoft.Win32.SafeHandles;
using ZstdSharp.Unsafe;

namespace KafkaSync.Engine.Compression;

// zstd objects live in unmanaged memory that ZstdSharp allocates: each is freed exactly once,
// even when a finalizer races Dispose.

internal sealed unsafe class ZstdCompressionContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public ZSTD_CCtx_s* Pointer => (ZSTD_CCtx_s*)handle;

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

internal sealed unsafe class ZstdDecompressionContextHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public ZSTD_DCtx_s* Pointer => (ZSTD_DCtx_s*)handle;

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

internal sealed unsafe class ZstdCDictHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public ZSTD_CDict_s* Pointer => (ZSTD_CDict_s*)handle;

    public static ZstdCDictHandle Create(ReadOnlySpan<byte> content, int level)
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

internal sealed unsafe class ZstdDDictHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public ZSTD_DDict_s* Pointer => (ZSTD_DDict_s*)handle;

    public static ZstdDDictHandle Create(ReadOnlySpan<byte> content)
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
