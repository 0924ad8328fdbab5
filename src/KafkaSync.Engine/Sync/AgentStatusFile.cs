using System.Text.Json;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.Engine.Sync;

/// <summary>Writes and reads the status snapshot beside an agent's queue, atomically.</summary>
public static class AgentStatusFile
{
    /// <summary>The snapshot's file name inside the queue folder.</summary>
    public const string FileName = "status.json";

    /// <summary>The path of the snapshot for the queue in <paramref name="queuePath"/>.</summary>
    public static string PathFor(string queuePath) => System.IO.Path.Combine(queuePath, FileName);

    /// <summary>Replaces the snapshot; readers see the old or the new one, never a mix.</summary>
    public static void Write(string queuePath, AgentStatus status)
    {
        var path = PathFor(queuePath);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(status, ConfigFile.Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Reads the snapshot of the agent whose queue is in <paramref name="queuePath"/>, as it stands
    /// now: an agent whose process is gone reads as <see cref="AgentState.Dead"/> (see <see cref="AgentLiveness"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">No agent has written a snapshot there.</exception>
    /// <exception cref="InvalidDataException">The snapshot is not valid JSON.</exception>
    public static AgentStatus Read(string queuePath)
    {
        var path = Directory.Exists(queuePath) ? PathFor(queuePath) : queuePath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No agent status at '{path}'; give the queue folder of a running or stopped agent.", path);
        }

        try
        {
            var status = JsonSerializer.Deserialize<AgentStatus>(File.ReadAllBytes(path), ConfigFile.Json)
                ?? throw new InvalidDataException($"The status file '{path}' is empty.");
            return AgentLiveness.Judge(status, DateTimeOffset.UtcNow);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The status file '{path}' is not valid: {ex.Message}", ex);
        }
    }
}
