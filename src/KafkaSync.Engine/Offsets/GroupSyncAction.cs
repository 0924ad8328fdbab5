namespace KafkaSync.Engine.Offsets;

/// <summary>What a group offset sync did with one target partition.</summary>
public enum GroupSyncAction
{
    /// <summary>The translated offset was committed on the target.</summary>
    Committed,

    /// <summary>A dry run (-WhatIf): the translated offset would be committed.</summary>
    WouldCommit,

    /// <summary>The target already has this offset or a later one; offsets only move forward.</summary>
    Unchanged,

    /// <summary>Not translated (see the status); nothing committed.</summary>
    Skipped,

    /// <summary>The group has members on the target; it is never moved under a live consumer.</summary>
    ActiveOnTarget,

    /// <summary>The target cluster refused the commit (see the note).</summary>
    Failed,
}
