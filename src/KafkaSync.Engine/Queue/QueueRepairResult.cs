namespace KafkaSync.Engine.Queue;

/// <summary>What a repair found and did (or, with WhatIf, would do).</summary>
public sealed record QueueRepairResult
{
    /// <summary>The queue's folder.</summary>
    public required string Path { get; init; }

    /// <summary>True when nothing was changed, only checked.</summary>
    public required bool WhatIf { get; init; }

    /// <summary>Every damaged spot found by the full check.</summary>
    public required IReadOnlyList<QueueProblem> Problems { get; init; }

    /// <summary>Segment files moved aside into the quarantine folder (never deleted).</summary>
    public required IReadOnlyList<string> Quarantined { get; init; }

    /// <summary>Whole, valid records copied from quarantined segments back into the queue.</summary>
    public required long SalvagedRecords { get; init; }

    /// <summary>Seqs that could not be recovered and that readers now pass over.</summary>
    public required IReadOnlyList<QueueSeqRange> LostSeqs { get; init; }

    /// <summary>Cursors rebuilt (unreadable file) or brought back inside the queue (past its last record); with WhatIf, what would be done.</summary>
    public IReadOnlyList<string> CursorFixes { get; init; } = [];

    /// <summary>True when the check found nothing to repair.</summary>
    public bool Healthy => Problems.Count == 0 && CursorFixes.Count == 0;
}
