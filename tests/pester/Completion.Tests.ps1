# Tab completion as a user gets it: TabExpansion2 on a typed command line.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    function Complete([string] $line) { (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText }
}

Describe 'Argument completion' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'offers config files and folders for -ConfigPath' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("ks-complete-" + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $dir, (Join-Path $dir 'sub') | Out-Null
        'source.json', 'tsdb.psd1', 'notes.txt' | ForEach-Object { Set-Content (Join-Path $dir $_) '{}' }
        Push-Location $dir
        try {
            $offered = Complete 'Start-KafkaSyncSource -ConfigPath '
            $offered | Should -Contain 'source.json'
            $offered | Should -Contain 'tsdb.psd1'
            $offered | Should -Contain ('sub' + [IO.Path]::DirectorySeparatorChar)
            $offered | Should -Not -Contain 'notes.txt'
            Complete 'Start-KafkaSyncTsdbCluster -ConfigPath ts' | Should -Be 'tsdb.psd1'
        }
        finally { Pop-Location; Remove-Item $dir -Recurse -Force }
    }

    It 'offers the topics of the cluster given by -BootstrapServers' {
        $cluster = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 1
        try {
            $offered = Complete "Start-KafkaSyncSource -BootstrapServers $($cluster.BootstrapServers) -Topic or"
            $offered | Should -Be 'orders'
        }
        finally { $cluster | Stop-KafkaSyncEmbeddedCluster -Confirm:$false }
    }

    It 'offers nothing, quickly, when the cluster does not answer' {
        $elapsed = Measure-Command { $offered = Complete 'Start-KafkaSyncSource -BootstrapServers 127.0.0.1:1 -Topic ' }
        $offered | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'offers the names of the running agents for -Name of the agent cmdlets' {
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        $queue = Join-Path ([IO.Path]::GetTempPath()) ("ks-complete-agent-" + [guid]::NewGuid().ToString('N'))
        $job = Receive-KafkaSyncQueue -Path $queue -Listen 127.0.0.1:0 -Credential $key -Create -AsJob
        try {
            $name = Split-Path $queue -Leaf
            Complete 'Get-KafkaSyncAgent -Name ks-complete-agent-' | Should -Be $name
            Complete 'Stop-KafkaSyncAgent ks-complete-agent-' | Should -Be $name
            Complete 'Wait-KafkaSyncAgent -Name ks-complete-agent-' | Should -Be $name
            Complete 'Stop-KafkaSyncAgent -Name no-such-agent-' | Should -BeNullOrEmpty
        }
        finally { $job | Stop-Job; $job | Remove-Job; Remove-Item $queue -Recurse -Force }
    }
}
