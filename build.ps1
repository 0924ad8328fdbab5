#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates KafkaSync from PowerShell; the same tasks as build.sh.
.EXAMPLE
    ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Setup', 'Build', 'Demo', 'Test', 'Bench')]
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

# Windows: no apt; build with dotnet and run the tests and Pester directly.
dotnet build KafkaSync.sln -c $Configuration
if ($LASTEXITCODE) { exit $LASTEXITCODE }
$out = Join-Path $PSScriptRoot 'out/KafkaSync'
Remove-Item $out -Recurse -Force -ErrorAction SilentlyContinue
New-Item $out -ItemType Directory | Out-Null
Copy-Item "src/KafkaSync.PowerShell/bin/$Configuration/net8.0/*" $out -Recurse
Copy-Item KafkaSync.psd1, module/*.ps1xml $out
Copy-Item module/en-US, module/examples, module/schemas $out -Recurse
switch ($Task) {
    'Demo'  { dotnet "src/KafkaSync.Cli/bin/$Configuration/net10.0/kafkasync.dll" demo }
    'Bench' { dotnet "src/KafkaSync.Cli/bin/$Configuration/net10.0/kafkasync.dll" bench all }
    'Test'  {
        dotnet test KafkaSync.sln -c $Configuration --no-build
        if ($LASTEXITCODE) { exit $LASTEXITCODE }
        if (Get-Module -ListAvailable Pester) { Invoke-Pester -Path tests/pester -CI }
        else { Write-Warning 'Pester is not installed: tests/pester was skipped.' }
    }
}
