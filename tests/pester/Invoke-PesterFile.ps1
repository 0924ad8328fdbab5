#Requires -Version 7.4
<#
.SYNOPSIS
    Runs one Pester test file in this process and writes its counts as JSON; ./build.sh test
    starts one pwsh per file, so a file that hangs or crashes cannot take the others with it.
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $CountsPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Stop'
# Every test is watched: BeforeEach arms the watchdog (see Watchdog.ps1), AfterEach disarms it.
$configuration.Run.Container = New-PesterContainer -Path $Path
$result = Invoke-Pester -Configuration $configuration
# A file that found no test at all (a discovery that defined none, a Describe behind a condition)
# tested nothing: it counts as a failure, not as silence. Inconclusive and pending tests did not
# run to a verdict: they count as skipped, which fails the run as well.
$noTests = if ($result.TotalCount -eq 0) { 1 } else { 0 }
[ordered]@{
    file    = Split-Path $Path -Leaf
    passed  = $result.PassedCount
    failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount + $noTests
    skipped = $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount
} | ConvertTo-Json -Compress | Set-Content -Path $CountsPath
# The failed tests' names beside the counts, so the run's last lines can name them.
$failedNames = @($result.Failed | ForEach-Object { "$(Split-Path $Path -Leaf): $($_.ExpandedPath)" })
$failedNames += @($result.FailedBlocks | ForEach-Object { "$(Split-Path $Path -Leaf): $($_.ExpandedPath) (setup)" })
Set-Content -Path ([IO.Path]::ChangeExtension($CountsPath, '.failed')) -Value $failedNames
