# The module as users install it: packed by tools/New-ModulePackage.ps1 (what ./build.sh package
# runs), installed with PSResourceGet from a local file repository, imported by name in a fresh pwsh.
# PSResourceGet keeps its repository list under XDG_DATA_HOME and its CurrentUser module folder
# under HOME, so every pwsh here gets temporary ones and the user's own are never touched.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) ("ks-package-" + [guid]::NewGuid().ToString('N'))
    $script:repository = Join-Path $root 'repository'
    $script:homeDir = Join-Path $root 'home'
    $script:dataHome = Join-Path $homeDir '.local/share'
    # .NET reads XDG_DATA_HOME only if the folder exists; otherwise PSResourceGet would write to the working directory.
    New-Item -ItemType Directory -Path $dataHome | Out-Null
    $script:version = (Import-PowerShellDataFile $ModuleManifest).ModuleVersion

    # Runs a script in a fresh pwsh with the temporary HOME and XDG_DATA_HOME (and any other
    # variables given); returns the last line it printed, parsed as JSON.
    function Invoke-FreshPwsh([string] $Script, [hashtable] $Environment = @{}) {
        $saved = @{}
        $Environment['HOME'] = $homeDir
        $Environment['XDG_DATA_HOME'] = $dataHome
        foreach ($key in $Environment.Keys) {
            $saved[$key] = [Environment]::GetEnvironmentVariable($key)
            [Environment]::SetEnvironmentVariable($key, $Environment[$key])
        }
        try {
            $lines = & $Pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1
        }
        finally {
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
        if ($LASTEXITCODE) { throw "pwsh failed ($LASTEXITCODE): $($lines -join "`n")" }
        $lines | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1 | ConvertFrom-Json
    }

    $pack = Join-Path $PSScriptRoot '../../tools/New-ModulePackage.ps1'
    $script:package = Invoke-FreshPwsh "& '$pack' -ModulePath '$(Split-Path $ModuleManifest)' -DestinationPath '$repository' | Select-Object Name | ConvertTo-Json -Compress"
    Invoke-FreshPwsh "Register-PSResourceRepository -Name KafkaSyncLocal -Uri '$repository' -Trusted; '{}'" | Out-Null
}

AfterAll { Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'The module package' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'is found in a local repository with the manifest''s version and tags, and no invented project address' {
        $package.Name | Should -Be "KafkaSync.$version.nupkg"
        $found = Invoke-FreshPwsh "Find-PSResource -Name KafkaSync -Repository KafkaSyncLocal | Select-Object Name, @{ n = 'Version'; e = { `$_.Version.ToString() } }, ProjectUri, LicenseUri, Tags | ConvertTo-Json -Compress"
        $found.Name | Should -Be 'KafkaSync'
        $found.Version | Should -Be $version
        # The project has no public address: the package must not name one.
        $found.ProjectUri | Should -BeNullOrEmpty
        $found.LicenseUri | Should -BeNullOrEmpty
        $found.Tags | Should -Contain 'Kafka'
    }

    It 'carries the LICENSE file' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead((Join-Path $repository $package.Name))
        try {
            $license = $zip.Entries | Where-Object FullName -eq 'LICENSE'
            $license | Should -Not -BeNullOrEmpty
            $reader = [IO.StreamReader]::new($license.Open())
            try { $reader.ReadToEnd() | Should -Be (Get-Content -Raw (Join-Path $PSScriptRoot '../../LICENSE')) } finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }

    It 'saves into a fresh module path, imports by name and runs a cmdlet' {
        $modules = Join-Path $root 'modules'
        New-Item -ItemType Directory -Path $modules | Out-Null
        Invoke-FreshPwsh "Save-PSResource -Name KafkaSync -Repository KafkaSyncLocal -Path '$modules' -TrustRepository -Quiet; '{}'" | Out-Null

        # An embedded cluster loads librdkafka from the installed dependencies folder.
        $result = Invoke-FreshPwsh -Environment @{ PSModulePath = $modules } -Script @'
Import-Module KafkaSync
$cluster = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic probe -Partitions 2
Stop-KafkaSyncEmbeddedCluster -Cluster $cluster
[ordered]@{
    base      = (Get-Module KafkaSync).ModuleBase
    bootstrap = $cluster.BootstrapServers
    synopsis  = (Get-Help Get-KafkaSyncQueue).Synopsis
    license   = Test-Path (Join-Path (Get-Module KafkaSync).ModuleBase LICENSE)
} | ConvertTo-Json -Compress
'@
        $result.base | Should -BeLike "$modules*"
        $result.bootstrap | Should -Match '^127\.0\.0\.1:\d+'
        $result.synopsis | Should -BeLike 'Shows the state of a disk queue*'
        $result.license | Should -BeTrue
    }
}
