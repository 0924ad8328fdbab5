# The module as a whole: what it exports and ships, and that it runs on its own Confluent.Kafka and
# librdkafka whatever else the process or the machine has. Each sync runs in a pwsh of its own.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:moduleBase = (Get-Module KafkaSync).ModuleBase
    $script:dependencies = Join-Path $moduleBase 'dependencies'
    $script:scenario = Join-Path $PSScriptRoot 'Scenarios/Sync-TwoClusters.ps1'
    $packages = (dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $script:otherConfluent = Join-Path $packages 'confluent.kafka/1.9.3/lib/net6.0/Confluent.Kafka.dll'

    function Invoke-Scenario([string[]] $Arguments, [string[]] $Prefix = @()) {
        $command = @($Prefix) + @($Pwsh, '-NoProfile', '-NonInteractive', '-File', $scenario, '-ModuleManifest', $ModuleManifest) + $Arguments
        $lines = & $command[0] $command[1..($command.Count - 1)] 2>&1
        $json = $lines | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1
        if (-not $json) { throw "the scenario printed no result: $($lines -join "`n")" }
        $json | ConvertFrom-Json
    }
}

Describe 'The module folder' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'exports every cmdlet the manifest lists, imported by path' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        (Get-Command -Module KafkaSync -CommandType Cmdlet).Name | Sort-Object |
            Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'ships the loader and cmdlets at its root and everything else under dependencies' {
        (Get-ChildItem $moduleBase -Filter *.dll).Name | Sort-Object | Should -Be @('KafkaSync.ModuleLoader.dll', 'KafkaSync.PowerShell.dll')
        Get-ChildItem $moduleBase -Recurse -Include System.Management.Automation.dll, *.pdb, *.deps.json | Should -BeNullOrEmpty
        Join-Path $dependencies 'KafkaSync.Engine.dll' | Should -Exist
        Join-Path $dependencies 'Confluent.Kafka.dll' | Should -Exist
    }

    It 'ships librdkafka for <_>' -ForEach @('linux-x64', 'linux-arm64', 'win-x64', 'osx-x64', 'osx-arm64') {
        Get-ChildItem (Join-Path $dependencies "runtimes/$_/native") -Filter '*rdkafka*' | Should -Not -BeNullOrEmpty
    }

    It 'loads the engine and Confluent.Kafka outside the default load context' {
        $default = [Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name
        $default | Should -Not -Contain 'KafkaSync.Engine'
        $default | Should -Not -Contain 'Confluent.Kafka'
        [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([KafkaSync.Engine.Queue.QueueInfo].Assembly).Name | Should -Be 'KafkaSync'
    }
}

Describe 'A sync beside another module''s Confluent.Kafka' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'copies every record when the other Confluent.Kafka loads <_> the module' -ForEach @('before', 'after') {
        $result = Invoke-Scenario @('-OtherConfluent', $otherConfluent, '-OtherLoads', $_)
        $result.copied | Should -Be 200
        $result.statusRecordsOut | Should -Be 200
        # Each side keeps its own copy: ours from the module, theirs (1.9.3) in the default context.
        $result.moduleConfluent | Should -BeLike "$dependencies*"
        $result.defaultConfluent | Should -Be $otherConfluent
        $result.mappedRdkafka | Should -BeLike "$dependencies*"
    }
}

Describe 'A sync on a machine whose own librdkafka and libzstd are hidden or older' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'maps only the bundled librdkafka, whatever librdkafka the system has' {
        $system = @(& ldconfig -p | Select-String 'librdkafka' | ForEach-Object { ($_ -split '=>\s*')[-1] })
        $result = Invoke-Scenario @()
        $result.copied | Should -Be 200
        @($result.mappedRdkafka).Count | Should -Be 1
        $result.mappedRdkafka | Should -BeLike "$dependencies*"
        foreach ($library in $system) { $result.mappedRdkafka | Should -Not -Be $library }
    }

    It 'runs a full sync with the system libraries hidden in a mount namespace' {
        # Not skipped when it cannot run: the test run needs Linux, root and unshare (as the README says).
        $IsLinux | Should -BeTrue -Because 'mount namespaces are Linux'
        (id -u) | Should -Be '0' -Because 'bind mounts in a namespace need root: run ./build.sh test as root'
        Get-Command unshare -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because 'unshare (util-linux) makes the namespace'
        # Every librdkafka and libzstd the dynamic linker knows of is covered by an empty file.
        # kcat, the test's own Kafka client, gets copies of them, outside the pwsh process.
        $hide = @(& ldconfig -p | Select-String 'librdkafka|libzstd' | ForEach-Object { ($_ -split '=>\s*')[-1] } | Sort-Object -Unique)
        $kcatLibraries = Join-Path ([IO.Path]::GetTempPath()) ("ks-kcat-libs-" + [Guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $kcatLibraries | Out-Null
        $hide | ForEach-Object { Copy-Item -LiteralPath $_ -Destination $kcatLibraries }
        $mounts = ($hide | ForEach-Object { "mount --bind /dev/null '$_'" }) -join ' && '
        $check = ($hide | ForEach-Object { "test ! -s '$_'" }) -join ' && '
        $wrapper = if ($hide) { "$mounts && $check && exec `"`$@`"" } else { 'exec "$@"' }
        $result = Invoke-Scenario @('-KcatLibraryPath', $kcatLibraries) -Prefix @('unshare', '-m', 'sh', '-c', $wrapper, 'hidden')
        Remove-Item $kcatLibraries -Recurse -Force
        $result.copied | Should -Be 200
        $result.mappedRdkafka | Should -BeLike "$dependencies*"
    }
}
