#Requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module folder into a PSResourceGet package (.nupkg) and returns the file.
.DESCRIPTION
    Compress-PSResource (PSResourceGet, which ships with pwsh 7.4 and later) reads the manifest for
    the package's id, version, description and tags (and a project or license address, where the
    manifest names one), and packs the module folder as built. Install-PSResource and Save-PSResource install the package from any repository
    registered on the destination folder. ./build.sh package, build.ps1 -Task Package and the
    package test all pack through this script.
.EXAMPLE
    ./tools/New-ModulePackage.ps1 -ModulePath out/KafkaSync -DestinationPath out/package
#>
[CmdletBinding()]
param(
    # The built module folder (named after the module, holding its manifest).
    [Parameter(Mandatory)] [string] $ModulePath,
    # The folder the package is written to; it is created if missing.
    [Parameter(Mandatory)] [string] $DestinationPath
)
$ErrorActionPreference = 'Stop'
$module = Resolve-Path $ModulePath
$manifest = Import-PowerShellDataFile (Join-Path $module "$(Split-Path $module -Leaf).psd1")
New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
$destination = Resolve-Path $DestinationPath
$name = "$(Split-Path $module -Leaf).$($manifest.ModuleVersion).nupkg"
Remove-Item (Join-Path $destination $name) -ErrorAction SilentlyContinue
Compress-PSResource -Path $module -DestinationPath $destination
Get-Item (Join-Path $destination $name)
