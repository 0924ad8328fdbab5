namespace KafkaSync.Engine.Queue;

/// <summary>When a <see cref="DiskQueue"/> forces appended records to stable storage.</summary>
public enum FsyncPolicy
{
    /// <summary>
    /// Every group commit ends with an fdatasync before its records count as durable. Survives
    /// power loss; many appends share one fdatasync, so throughput stays close to the disk's.
    /// </summary>
    EachCommit,

    /// <summary>
    /// A group commit counts as durable once written to the operating system (survives a process
    /// crash); an fdatasync follows at most <see cref="DiskQueueOptions.FsyncInterval"/> later.
    /// </summary>
    Interval,

    /// <summary>Records count as durable once written to the operating system; the queue never fsyncs.</summary>
    Never,
}
