using System.Runtime.InteropServices;
using ZstdSharp.Unsafe;
using Zstd = ZstdSharp.Unsafe.Methods;

namespace KafkaSync.Engine.Compression;

/// <summary>
/// The zstd C API as the wrappers in this folder use it, served by ZstdSharp's managed port of
/// zstd (1.5.7). Keeping the C shapes (contexts, in/out buffers, end directives) keeps the frames
/// byte-for-byte what libzstd wrote, with no native library to ship.
/// </summary>
internal static unsafe class ZstdNative
{
    // ZSTD_cParameter
    public const ZSTD_cParameter CompressionLevel = ZSTD_cParameter.ZSTD_c_compressionLevel;
    public const ZSTD_cParameter WindowLog = ZSTD_cParameter.ZSTD_c_windowLog;
    public const ZSTD_cParameter HashLog = ZSTD_cParameter.ZSTD_c_hashLog;
    public const ZSTD_cParameter ChecksumFlag = ZSTD_cParameter.ZSTD_c_checksumFlag;
    public const ZSTD_cParameter DictIdFlag = ZSTD_cParameter.ZSTD_c_dictIDFlag;

    // ZSTD_dParameter
    public const ZSTD_dParameter WindowLogMax = ZSTD_dParameter.ZSTD_d_windowLogMax;

    // ZSTD_EndDirective
    public const ZSTD_EndDirective EndFlush = ZSTD_EndDirective.ZSTD_e_flush;
    public const ZSTD_EndDirective EndFrame = ZSTD_EndDirective.ZSTD_e_end;

    // ZSTD_ResetDirective
    public const ZSTD_ResetDirective ResetSessionOnly = ZSTD_ResetDirective.ZSTD_reset_session_only;
    public const ZSTD_ResetDirective ResetSessionAndParameters = ZSTD_ResetDirective.ZSTD_reset_session_and_parameters;

    public static uint VersionNumber() => Zstd.ZSTD_versionNumber();

    public static int MinCLevel() => Zstd.ZSTD_minCLevel();

    public static int MaxCLevel() => Zstd.ZSTD_maxCLevel();

    public static nuint CompressBound(nuint srcSize) => Zstd.ZSTD_compressBound(srcSize);

    public static uint GetCParamsHashLog(int level) => Zstd.ZSTD_getCParams(level, 0, 0).hashLog;

    public static nint CreateCCtx() => (nint)Zstd.ZSTD_createCCtx();

    public static void FreeCCtx(nint cctx) => Zstd.ZSTD_freeCCtx((ZSTD_CCtx_s*)cctx);

    public static nuint CCtxSetParameter(ZstdCompressionContextHandle cctx, ZSTD_cParameter param, int value) =>
        Zstd.ZSTD_CCtx_setParameter(cctx.Pointer, param, value);

    public static nuint CCtxReset(ZstdCompressionContextHandle cctx, ZSTD_ResetDirective directive) =>
        Zstd.ZSTD_CCtx_reset(cctx.Pointer, directive);

    public static nuint CCtxRefCDict(ZstdCompressionContextHandle cctx, ZstdCDictHandle cdict) =>
        Zstd.ZSTD_CCtx_refCDict(cctx.Pointer, cdict.Pointer);

    public static nuint Compress2(ZstdCompressionContextHandle cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize) =>
        Zstd.ZSTD_compress2(cctx.Pointer, dst, dstCapacity, src, srcSize);

    public static nuint CompressStream2(ZstdCompressionContextHandle cctx, ZSTD_outBuffer_s* output, ZSTD_inBuffer_s* input, ZSTD_EndDirective endOp) =>
        Zstd.ZSTD_compressStream2(cctx.Pointer, output, input, endOp);

    public static nint CreateDCtx() => (nint)Zstd.ZSTD_createDCtx();

    public static void FreeDCtx(nint dctx) => Zstd.ZSTD_freeDCtx((ZSTD_DCtx_s*)dctx);

    public static nuint DCtxSetParameter(ZstdDecompressionContextHandle dctx, ZSTD_dParameter param, int value) =>
        Zstd.ZSTD_DCtx_setParameter(dctx.Pointer, param, value);

    public static nuint DCtxReset(ZstdDecompressionContextHandle dctx, ZSTD_ResetDirective directive) =>
        Zstd.ZSTD_DCtx_reset(dctx.Pointer, directive);

    public static nuint DCtxRefDDict(ZstdDecompressionContextHandle dctx, ZstdDDictHandle ddict) =>
        Zstd.ZSTD_DCtx_refDDict(dctx.Pointer, ddict.Pointer);

    public static nuint DecompressStream(ZstdDecompressionContextHandle dctx, ZSTD_outBuffer_s* output, ZSTD_inBuffer_s* input) =>
        Zstd.ZSTD_decompressStream(dctx.Pointer, output, input);

    public static nint CreateCDict(byte* dict, nuint dictSize, int level) => (nint)Zstd.ZSTD_createCDict(dict, dictSize, level);

    public static void FreeCDict(nint cdict) => Zstd.ZSTD_freeCDict((ZSTD_CDict_s*)cdict);

    public static nint CreateDDict(byte* dict, nuint dictSize) => (nint)Zstd.ZSTD_createDDict(dict, dictSize);

    public static void FreeDDict(nint ddict) => Zstd.ZSTD_freeDDict((ZSTD_DDict_s*)ddict);

    public static nuint TrainFromBuffer(byte* dictBuffer, nuint dictCapacity, byte* samples, nuint* sampleSizes, uint sampleCount) =>
        Zstd.ZDICT_trainFromBuffer(dictBuffer, dictCapacity, samples, sampleSizes, sampleCount);

    public static uint GetDictId(byte* dict, nuint dictSize) => Zstd.ZSTD_getDictID_fromDict(dict, dictSize);

    public static nuint Check(nuint code, string operation) =>
        Zstd.ZSTD_isError(code) ? throw new ZstdException(operation, Zstd.ZSTD_getErrorName(code)) : code;

    public static nuint CheckDict(nuint code, string operation) =>
        Zstd.ZDICT_isError(code) ? throw new ZstdException(operation, Zstd.ZDICT_getErrorName(code)) : code;
}
