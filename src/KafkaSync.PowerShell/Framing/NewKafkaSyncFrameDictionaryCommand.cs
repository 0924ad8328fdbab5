using System.Management.Automation;
using KafkaSync.Engine.Configuration;
using KafkaSync.Engine.Framing;
using KafkaSync.Engine.Compression;
using KafkaSync.Engine.Queue;

namespace KafkaSync.PowerShell.Framing;

/// <summary>
/// <para type="synopsis">Trains a zstd dictionary on a queue's newest records, for the link's frames.dictionaryPath.</para>
/// <para type="description">Reads the queue without its lock (safe while its owner runs). Give the same file to
/// both ends of the link. A dictionary helps small frames compressed on their own; with one zstd stream per
/// connection and large frames it adds little.</para>
/// <para type="description">The result names the file, its size, its dictionary id (which travels in every frame compressed
/// with it) and the number of records it was trained on.</para>
/// </summary>
/// <example title="Train a dictionary on a source queue">
/// <code>New-KafkaSyncFrameDictionary -QueuePath /var/lib/kafkasync/source -Path /etc/kafkasync/frames.dict</code>
/// <para>Trains on the newest records of the source queue and writes the dictionary. Copy the file to the target machine and
/// set "frames": { "dictionaryPath": "/etc/kafkasync/frames.dict" } in the link settings of both agents.</para>
/// </example>
/// <example title="Replace a dictionary with a larger one">
/// <code>New-KafkaSyncFrameDictionary ./source-queue ./frames.dict -Samples 50000 -MaxSize 262144 -Force</code>
/// <para>Trains on 50,000 records into at most 256 KiB and replaces the existing file (without -Force an existing file is
/// an error). Both ends of the link need the new file.</para>
/// </example>
/// <example title="See what would be trained">
/// <code>New-KafkaSyncFrameDictionary ./source-queue ./frames.dict -WhatIf</code>
/// <para>Names the queue, the file and the number of samples without reading the queue or writing the file.</para>
/// </example>
/// <para type="link">Send-KafkaSyncQueue</para>
/// <para type="link">Start-KafkaSyncSource</para>
/// <para type="link">about_KafkaSync_Link</para>
[Cmdlet(VerbsCommon.New, "KafkaSyncFrameDictionary", SupportsShouldProcess = true)]
[OutputType(typeof(FrameDictionaryInfo))]
public sealed class NewKafkaSyncFrameDictionaryCommand : PSCmdlet
{
    /// <summary>The error id when the queue cannot be read or training fails.</summary>
    public const string TrainFailed = nameof(TrainFailed);

    /// <summary>The error id when the dictionary file exists and -Force is not given.</summary>
    public const string DictionaryExists = nameof(DictionaryExists);

    /// <summary>The queue folder whose records are sampled.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string QueuePath { get; set; } = "";

    /// <summary>The dictionary file to write; an existing file is replaced only with -Force.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>How many of the newest records to train on.</summary>
    /// <value>20000</value>
    [Parameter]
    [ValidateRange(100, 1_000_000)]
    public int Samples { get; set; } = FrameDictionaryTrainer.DefaultSamples;

    /// <summary>The largest dictionary in bytes (1 KiB to 1 MiB).</summary>
    /// <value>112640</value>
    [Parameter]
    [ValidateRange(1024, 1 << 20)]
    public int MaxSize { get; set; } = ZstdDictionary.DefaultMaxSize;

    /// <summary>Replace the dictionary file if it exists. Both ends of a link must then get the new file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var queue = PowerShellPaths.Resolve(this, QueuePath)!;
        var output = PowerShellPaths.Resolve(this, Path)!;
        if (File.Exists(output) && !Force)
        {
            // A link whose two ends hold different dictionaries cannot decode a frame: replacing one is a deliberate act.
            WriteError(new ErrorRecord(
                new IOException($"'{output}' exists; add -Force to replace it (then give the new file to both ends of the link)."),
                DictionaryExists,
                ErrorCategory.ResourceExists,
                output));
            return;
        }
        if (!ShouldProcess(output, $"Train a zstd dictionary on the newest {Samples} records of {queue}"))
        {
            return;
        }

        try
        {
            WriteObject(FrameDictionaryTrainer.TrainFromQueue(queue, output, Samples, MaxSize));
        }
        catch (Exception ex) when (ex is QueueException or IOException or UnauthorizedAccessException or OptionsException)
        {
            WriteError(new ErrorRecord(ex, TrainFailed, ErrorCategory.InvalidData, queue));
        }
    }
}
