#Requires -Version 7.4
<#
.SYNOPSIS
    Runs a target agent in a pwsh of its own, for Lifecycle.Tests.ps1 to end that process from
    outside: in the foreground (ended by a signal), or as a job followed by `exit` once it runs.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $BootstrapServers,
    [Parameter(Mandatory)] [string] $QueuePath,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $KeyFile,
    [ValidateSet('Foreground', 'JobThenExit')] [string] $Mode = 'Foreground'
)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$agent = @{ Name = 'ended'; BootstrapServers = $BootstrapServers; QueuePath = $QueuePath; Listen = "127.0.0.1:$Port"; LinkKeyFile = $KeyFile }
if ($Mode -eq 'Foreground') {
    Start-KafkaSyncTarget @agent
    return
}

$job = Start-KafkaSyncTarget @agent -AsJob
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ((Get-KafkaSyncStatus $QueuePath -ErrorAction SilentlyContinue).State -ne 'Running' -and [DateTime]::UtcNow -lt $deadline) {
    Start-Sleep -Milliseconds 100
}
exit 0
