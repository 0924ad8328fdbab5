using System.Runtime.InteropServices;

namespace KafkaSync.Engine.Native;

/// <summary>
/// The libzstd entry points we use (zstd.h / zdict.h of 1.5.x). Every caller goes through
/// <see cref="ZstdCompressor"/>, <see cref="ZstdDecompressor"/> or <see cref="ZstdDictionary"/>,
/// which register the resolver first and turn error codes into <see cref="ZstdException"/>.
/// </summary>
internal static unsafe partial class ZstdNative
{
    // ZSTD_cParameter
    public const int CompressionLevel = 100;
    public const int WindowLog = 101;
    public const int HashLog = 102;
    public const int ChainLog = 103;
    public const int SearchLog = 104;
    public const int MinMatch = 105;
    public const int EnableLongDistanceMatching = 160;
    public const int ContentSizeFlag = 200;
    public const int ChecksumFlag = 201;
    public const int DictIdFlag = 202;

    // ZSTD_dParameter
    public const int WindowLogMax = 100;

    // ZSTD_EndDirective
    public const int EndContinue = 0;
    public const int EndFlush = 1;
    public const int EndFrame = 2;

    // ZSTD_ResetDirective
    public const int ResetSessionOnly = 1;
    public const int ResetSessionAndParameters = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_versionNumber")]
    public static partial uint VersionNumber();

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_minCLevel")]
    public static partial int MinCLevel();

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_maxCLevel")]
    public static partial int MaxCLevel();

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_getErrorName")]
    public static partial byte* GetErrorName(nuint code);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_compressBound")]
    public static partial nuint CompressBound(nuint srcSize);

    [StructLayout(LayoutKind.Sequential)]
    public struct CompressionParameters
    {
        public uint WindowLog;
        public uint ChainLog;
        public uint HashLog;
        public uint SearchLog;
        public uint MinMatch;
        public uint TargetLength;
        public int Strategy;
    }

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_getCParams")]
    public static partial CompressionParameters GetCParams(int level, ulong estimatedSrcSize, nuint dictSize);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_createCCtx")]
    public static partial nint CreateCCtx();

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_freeCCtx")]
    public static partial nuint FreeCCtx(nint cctx);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_CCtx_setParameter")]
    public static partial nuint CCtxSetParameter(ZstdCompressionContextHandle cctx, int param, int value);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_CCtx_reset")]
    public static partial nuint CCtxReset(ZstdCompressionContextHandle cctx, int directive);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_CCtx_refCDict")]
    public static partial nuint CCtxRefCDict(ZstdCompressionContextHandle cctx, ZstdCDictHandle cdict);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_compress2")]
    public static partial nuint Compress2(ZstdCompressionContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_compressStream2")]
    public static partial nuint CompressStream2(ZstdCompressionContextHandle cctx, OutBuffer* output, InBuffer* input, int endOp);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_createDCtx")]
    public static partial nint CreateDCtx();

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_freeDCtx")]
    public static partial nuint FreeDCtx(nint dctx);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_DCtx_setParameter")]
    public static partial nuint DCtxSetParameter(ZstdDecompressionContextHandle dctx, int param, int value);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_DCtx_reset")]
    public static partial nuint DCtxReset(ZstdDecompressionContextHandle dctx, int directive);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_DCtx_refDDict")]
    public static partial nuint DCtxRefDDict(ZstdDecompressionContextHandle dctx, ZstdDDictHandle ddict);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(ZstdDecompressionContextHandle dctx, OutBuffer* output, InBuffer* input);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_createCDict")]
    public static partial nint CreateCDict(byte* dict, nuint dictSize, int level);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_freeCDict")]
    public static partial nuint FreeCDict(nint cdict);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_createDDict")]
    public static partial nint CreateDDict(byte* dict, nuint dictSize);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZSTD_freeDDict")]
    public static partial nuint FreeDDict(nint ddict);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZDICT_trainFromBuffer")]
    public static partial nuint TrainFromBuffer(byte* dictBuffer, nuint dictCapacity, byte* samples, nuint* sampleSizes, uint sampleCount);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZDICT_isError")]
    public static partial uint DictIsError(nuint code);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZDICT_getErrorName")]
    public static partial byte* DictGetErrorName(nuint code);

    [LibraryImport(NativeLibraries.Zstd, EntryPoint = "ZDICT_getDictID")]
    public static partial uint GetDictId(byte* dict, nuint dictSize);

    /// <summary>Throws when <paramref name="code"/> is a zstd error; otherwise returns it.</summary>
    public static nuint Check(nuint code, string operation)
    {
        if (IsError(code) != 0)
        {
            throw new ZstdException(operation, Marshal.PtrToStringUTF8((nint)GetErrorName(code)) ?? "unknown error");
        }

        return code;
    }

    /// <summary>Throws when <paramref name="code"/> is a zdict error; otherwise returns it.</summary>
    public static nuint CheckDict(nuint code, string operation)
    {
        if (DictIsError(code) != 0)
        {
            throw new ZstdException(operation, Marshal.PtrToStringUTF8((nint)DictGetErrorName(code)) ?? "unknown error");
        }

        return code;
    }
}
