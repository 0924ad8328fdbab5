namespace KafkaSync.Engine.Framing;

/// <summary>A dictionary file written by <see cref="FrameDictionaryTrainer"/>.</summary>
/// <param name="Path">Where the dictionary was saved (use it as frames.dictionaryPath on both ends).</param>
/// <param name="Id">The dictionary id that frames compressed with it carry.</param>
/// <param name="Bytes">The dictionary's size.</param>
/// <param name="Samples">How many records it was trained on.</param>
/// <param name="SampleBytes">The payload bytes of those records.</param>
public sealed record FrameDictionaryInfo(string Path, uint Id, int Bytes, int Samples, long SampleBytes);
