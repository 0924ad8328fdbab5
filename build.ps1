#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packs and demonstrates KafkaSync from PowerShell; the same tasks as build.sh.
.DESCRIPTION
    On Linux and macOS the tasks run through build.sh, so there is one implementation of them.
    On Windows this script runs them itself: dotnet build lays out the module in out/KafkaSync
    (the AssembleModule target, help included); Test runs the xunit tests and then each Pester file
    in its own pwsh 7.6.10 (installed under out/tools), as build.sh does; Package packs the module
    into out/package for Install-PSResource and Save-PSResource.
.EXAMPLE
    ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Setup', 'Build', 'Demo', 'Test', 'Bench', 'Package')]
    [string] $Task = 'Build',

    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:CONFIGURATION = $Configuration

if ($IsLinux -or $IsMacOS) {
    # One implementation of the tasks: the POSIX script also runs where PowerShell is absent.
    & bash ./build.sh $Task.ToLowerInvariant()
    exit $LASTEXITCODE
}

# Windows: no apt (kcat, InfluxDB and VictoriaMetrics must be installed by hand, or the tests that
# need them fail); the rest as in build.sh.
$PwshVersion = '7.6.10'
$PesterVersion = '5.7.1'
$Pwsh = Join-Path $PSScriptRoot 'out/tools/pwsh/pwsh.exe'
$kafkasync = "src/KafkaSync.Cli/bin/$Configuration/net10.0/kafkasync.dll"

function Invoke-Native([scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}

# pwsh as a dotnet tool under out/tools (the version named: the newest fails), and Pester from NuGet.
function Install-TestTools {
    if (-not (Test-Path $Pwsh) -or (& $Pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()') -ne $PwshVersion) {
        Remove-Item out/tools/pwsh -Recurse -Force -ErrorAction SilentlyContinue
        Invoke-Native { dotnet tool install PowerShell --version $PwshVersion --tool-path out/tools/pwsh }
    }
    Invoke-Native { dotnet restore tests/pester/Pester.Restore.csproj -nologo -v quiet }
    # The Pester tests are never optional: stop here, loudly, if either piece did not arrive.
    if ((& $Pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()') -ne $PwshVersion) {
        Write-Error "pwsh $PwshVersion did not install under out/tools/pwsh; the Pester tests cannot run" -ErrorAction Continue
        exit 2
    }
    if (-not (Test-Path (Get-PesterManifest))) {
        Write-Error "Pester $PesterVersion did not restore ($(Get-PesterManifest) is missing); the Pester tests cannot run" -ErrorAction Continue
        exit 2
    }
}

function Get-PesterManifest {
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
}

# Each Pester file in its own pwsh, so a file that hangs or crashes cannot take the others with it.
function Invoke-PesterFiles {
    $counts = New-Item out/pester -ItemType Directory -Force
    Get-ChildItem $counts -Include *.json, *.failed -File -Recurse | Remove-Item
    $env:KAFKASYNC_PWSH = $Pwsh
    foreach ($file in Get-ChildItem tests/pester -Filter *.Tests.ps1) {
        $countsPath = Join-Path $counts "$($file.BaseName -replace '\.Tests$', '').json"
        & $Pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-PesterFile.ps1 -Path $file.FullName -PesterManifest (Get-PesterManifest) -CountsPath $countsPath
        if (-not (Test-Path $countsPath)) {
            Write-Warning "pester: $($file.Name) did not finish (a test hung or pwsh crashed); counted as 1 failed"
            '{"passed":0,"failed":1,"skipped":0}' | Set-Content $countsPath
        }
    }
    $totals = Get-ChildItem $counts -Filter *.json | Get-Content -Raw | ConvertFrom-Json
    $sum = { param($key) ($totals | Measure-Object -Property $key -Sum).Sum }
    # Written to the host, not output: the function's only output is the verdict below (an output
    # line beside it made the caller's `-not $pesterPassed` false whatever the verdict).
    Write-Host "pester: $(& $sum passed) passed, $(& $sum failed) failed, $(& $sum skipped) skipped"
    Get-ChildItem $counts -Filter *.failed | Get-Content | Where-Object { $_ } | ForEach-Object { Write-Host "pester failed: $_" }
    # The module is the product: no Pester test may be skipped, and some must have passed.
    return (& $sum failed) -eq 0 -and (& $sum skipped) -eq 0 -and (& $sum passed) -gt 0
}

switch ($Task) {
    'Setup' { Install-TestTools; return }
}

Invoke-Native { dotnet build KafkaSync.sln -c $Configuration -nologo }
switch ($Task) {
    'Demo'    { Invoke-Native { dotnet $kafkasync demo } }
    'Bench'   { Invoke-Native { dotnet $kafkasync bench all } }
    'Package' {
        Install-TestTools
        & $Pwsh -NoProfile -NonInteractive -File tools/New-ModulePackage.ps1 -ModulePath out/KafkaSync -DestinationPath out/package
        exit $LASTEXITCODE
    }
    'Test'    {
        Install-TestTools
        dotnet test KafkaSync.sln -c $Configuration --no-build -nologo --results-directory out/test-results --logger trx
        $xunitFailed = $LASTEXITCODE
        $pesterPassed = Invoke-PesterFiles
        if ($xunitFailed -or -not $pesterPassed) { exit 1 }
    }
}
