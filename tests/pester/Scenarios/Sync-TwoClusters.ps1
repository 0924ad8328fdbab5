#Requires -Version 7.4
<#
.SYNOPSIS
    Syncs a topic between two embedded clusters through both agents run as jobs, in a pwsh of its
    own, and prints one JSON line: records copied, the Confluent.Kafka each side of the process
    sees, and the librdkafka file the process mapped. Module.Tests.ps1 runs it in several setups.
.PARAMETER OtherConfluent
    A Confluent.Kafka.dll that "another module" loads: 'before' or 'after' our Import-Module.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $OtherConfluent,
    [ValidateSet('before', 'after')] [string] $OtherLoads = 'before',
    [int] $Records = 200,
    # Where kcat finds its librdkafka when the system's is hidden from this process.
    [string] $KcatLibraryPath
)
$ErrorActionPreference = 'Stop'
if ($OtherConfluent -and $OtherLoads -eq 'before') { Add-Type -Path $OtherConfluent }
Import-Module $ModuleManifest
if ($OtherConfluent -and $OtherLoads -eq 'after') { Add-Type -Path $OtherConfluent }

function Invoke-Kcat {
    if ($KcatLibraryPath) { $env:LD_LIBRARY_PATH = $KcatLibraryPath }
    try { $input | kcat @args 2>$null } finally { if ($KcatLibraryPath) { Remove-Item Env:LD_LIBRARY_PATH } }
}

# The Confluent.Kafka loaded in the load contexts that match $Where.
function Get-LoadedConfluent([scriptblock] $Where) {
    [Runtime.Loader.AssemblyLoadContext]::All | Where-Object $Where |
        ForEach-Object { $_.Assemblies } | Where-Object { $_.GetName().Name -eq 'Confluent.Kafka' }
}

$root = Join-Path ([IO.Path]::GetTempPath()) ("ks-scenario-" + [Guid]::NewGuid().ToString('N'))
$source = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
$target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
try {
    # A fixed pass phrase: a GUID's hex digits sometimes use too few distinct characters for the key check.
    $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start()
    $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $t = Start-KafkaSyncTarget -Name scenario -BootstrapServers $target.BootstrapServers -QueuePath "$root/t" -Listen "127.0.0.1:$port" -LinkCredential $key -AsJob
    $s = Start-KafkaSyncSource -Name scenario -BootstrapServers $source.BootstrapServers -Topic orders -QueuePath "$root/s" -LinkTarget "127.0.0.1:$port" -LinkCredential $key -AsJob
    1..$Records | ForEach-Object { "key-$_:value-$_" } | Invoke-Kcat -b $source.BootstrapServers -P -t orders -K :
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    do { Start-Sleep -Milliseconds 200; $status = Get-KafkaSyncStatus -Path "$root/t" -ErrorAction SilentlyContinue }
    while ($status.RecordsOut -lt $Records -and [DateTime]::UtcNow -lt $deadline)
    $copied = @(Invoke-Kcat -b $target.BootstrapServers -C -t orders -e -q -f '%k\n').Count
    $s, $t | Stop-Job
    $s, $t | Remove-Job -Force
    [ordered]@{
        copied           = $copied
        statusRecordsOut = $status.RecordsOut
        moduleConfluent  = (Get-LoadedConfluent { $_.Name -eq 'KafkaSync' }).Location
        defaultConfluent = (Get-LoadedConfluent { $_ -eq [Runtime.Loader.AssemblyLoadContext]::Default }).Location
        mappedRdkafka    = @(Get-Content "/proc/$PID/maps" | Select-String 'rdkafka' | ForEach-Object { ($_ -split '\s+')[-1] } | Sort-Object -Unique)
    } | ConvertTo-Json -Compress
}
finally {
    $source, $target | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}
