# Pester tests for the time-series cmdlets (the engine is tested in xunit).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Start-KafkaSyncTsdbCluster' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names the wrong field of the config' {
        $config = Join-Path ([IO.Path]::GetTempPath()) "tsdb-$([Guid]::NewGuid()).json"
        '{ "nodes": [ { "name": "a", "url": "http://127.0.0.1:1" } ], "kafka": { "bootstrapServers": "k:1", "topic": "t" }, "connector": { "writers": 0 } }' |
            Set-Content $config
        { Start-KafkaSyncTsdbCluster -ConfigPath $config -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidConfig,KafkaSync.PowerShell.Tsdb.StartKafkaSyncTsdbClusterCommand'
        Remove-Item $config
    }
}

Describe 'Get-KafkaSyncTsdbNode and Get-KafkaSyncTsdbTimeline' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'report an unreachable status endpoint' {
        { Get-KafkaSyncTsdbNode -Url 'http://127.0.0.1:1/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'StatusUnreachable,KafkaSync.PowerShell.Tsdb.GetKafkaSyncTsdbNodeCommand'
        { Get-KafkaSyncTsdbTimeline -Url 'http://127.0.0.1:1/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'StatusUnreachable,KafkaSync.PowerShell.Tsdb.GetKafkaSyncTsdbTimelineCommand'
    }

    It 'list the nodes of a running service with the default view' {
        $kafka = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic metrics -Partitions 2
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $config = Join-Path ([IO.Path]::GetTempPath()) "tsdb-$([Guid]::NewGuid()).json"
        @{
            kind    = 'victoriaMetrics'
            nodes   = @(@{ name = 'gone'; url = 'http://127.0.0.1:1' })
            kafka   = @{ bootstrapServers = $kafka.BootstrapServers; topic = 'metrics' }
            monitor = @{ checkInterval = '200ms'; listen = "127.0.0.1:$port" }
            balancer = @{ listen = '127.0.0.1:0' }
        } | ConvertTo-Json -Depth 5 | Set-Content $config
        $job = Start-ThreadJob { Import-Module $using:ModuleManifest; Start-KafkaSyncTsdbCluster -ConfigPath $using:config }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do { Start-Sleep -Milliseconds 200; $node = Get-KafkaSyncTsdbNode -Url "http://127.0.0.1:$port/" -ErrorAction SilentlyContinue }
        while ($node.State -ne 'Unavailable' -and [DateTime]::UtcNow -lt $deadline)
        $node.Name | Should -Be 'gone'
        # Tab completion of node names reads the same status endpoint.
        $line = "Get-KafkaSyncTsdbNode -Url http://127.0.0.1:$port/ -Name g"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'gone'
        $node.State | Should -Be 'Unavailable'
        ($node | Format-Table | Out-String) | Should -Match 'Pressure'
        (Get-KafkaSyncTsdbTimeline -Url "http://127.0.0.1:$port/" -Node gone).To | Should -Contain 'Unavailable'
        $job | Stop-Job
        $kafka | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
        Remove-Item $config
    }
}
