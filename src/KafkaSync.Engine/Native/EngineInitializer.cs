using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace KafkaSync.Engine.Native;

/// <summary>Runs once, before any code of the engine: pins the bundled librdkafka.</summary>
internal static class EngineInitializer
{
    /// <summary>
    /// Every path into Kafka goes through the engine, but not every one through
    /// <see cref="Kafka.KafkaClients"/>: a client built before the resolver is in place binds
    /// whatever librdkafka the system offers first, for the life of the process.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "The native binding must be pinned before the first P/Invoke, whichever engine type is used first.")]
    internal static void PinNativeLibraries() => NativeLibraries.EnsureRegistered();
}
