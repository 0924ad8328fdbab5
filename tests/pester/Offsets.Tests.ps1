# Pester tests for the consumer-group failover cmdlets (the translation itself is tested in xunit).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-KafkaSyncOffset' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names the missing setting when no group is given' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $root | Out-Null
        @{ kafka = @{ bootstrapServers = '127.0.0.1:9' }; queue = @{ path = "$root/t" }; link = @{ listen = '127.0.0.1:0' } } |
            ConvertTo-Json -Depth 5 | Set-Content "$root/target.json"
        { Get-KafkaSyncOffset "$root/target.json" -SourceBootstrapServers '127.0.0.1:9' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidOffsetOptions,KafkaSync.PowerShell.Offsets.GetKafkaSyncOffsetCommand'
        Remove-Item -Recurse -Force $root
    }
}

Describe 'Sync-KafkaSyncConsumerGroup' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names the missing setting when the source cluster is not given' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $root | Out-Null
        @{ kafka = @{ bootstrapServers = '127.0.0.1:9' }; queue = @{ path = "$root/t" }; link = @{ listen = '127.0.0.1:0' } } |
            ConvertTo-Json -Depth 5 | Set-Content "$root/target.json"
        { Sync-KafkaSyncConsumerGroup "$root/target.json" -Group billing -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidOffsetOptions,KafkaSync.PowerShell.Offsets.SyncKafkaSyncConsumerGroupCommand'
        Remove-Item -Recurse -Force $root
    }
}

Describe 'Consumer group moved to the target' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    BeforeAll {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $root | Out-Null
        $source = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 1
        $target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 1
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $config = "$root/target.json"
        @{
            kafka        = @{ bootstrapServers = $target.BootstrapServers }
            queue        = @{ path = "$root/t" }
            link         = @{ listen = "127.0.0.1:$port" }
            createTopics = $false
            groupSync    = @{ sourceKafka = @{ bootstrapServers = $source.BootstrapServers }; groups = @('billing'); interval = '1h' }
        } | ConvertTo-Json -Depth 5 | Set-Content $config

        'a:1', 'b:2', 'c:3', 'd:4', 'e:5', 'f:6' | kcat -b $source.BootstrapServers -P -t orders -p 0 -K :
        # A member of 'billing' reads two records on the source and commits as it leaves.
        kcat -b $source.BootstrapServers -G billing -X auto.offset.reset=earliest -X enable.auto.commit=true -c 2 -q orders 2>$null | Out-Null

        $t = Start-KafkaSyncTarget -ConfigPath $config -LinkCredential $key -AsJob
        $s = Start-KafkaSyncSource -BootstrapServers $source.BootstrapServers -Topic orders -QueuePath "$root/s" -LinkTarget "127.0.0.1:$port" -LinkCredential $key -AsJob
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do { Start-Sleep -Milliseconds 200; $status = Get-KafkaSyncStatus "$root/t" -ErrorAction SilentlyContinue }
        while ($status.RecordsOut -lt 6 -and [DateTime]::UtcNow -lt $deadline)
        # The map is flushed before the producer cursor moves: wait for the cursor.
        do { Start-Sleep -Milliseconds 200; $status = Get-KafkaSyncStatus "$root/t" -ErrorAction SilentlyContinue }
        while ($status.LagRecords -gt 0 -and [DateTime]::UtcNow -lt $deadline)
    }

    AfterAll {
        $s, $t | Stop-Job
        $s, $t | Receive-Job -Wait | Out-Null
        $source, $target | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
        Remove-Item -Recurse -Force $root -ErrorAction SilentlyContinue
    }

    It 'shows the translation without committing' {
        $row = Get-KafkaSyncOffset $config
        $row.Group | Should -Be 'billing'
        $row.SourceOffset | Should -Be 2
        $row.TargetOffset | Should -Be 2
        $row.Status | Should -Be 'Exact'
        $row.Action | Should -Be 'WouldCommit'
        $row.Lag | Should -Be 4
        $row.CommittedOffset | Should -BeNullOrEmpty
    }

    It 'commits nothing with -WhatIf' {
        Sync-KafkaSyncConsumerGroup $config -Group billing -WhatIf | Should -BeNullOrEmpty
        (Get-KafkaSyncOffset $config -Group billing).Action | Should -Be 'WouldCommit'
    }

    It 'commits the translated offset, then has nothing left to move' {
        $done = Sync-KafkaSyncConsumerGroup $config -Group billing -Confirm:$false
        $done.Action | Should -Be 'Committed'
        $done.CommittedOffset | Should -Be 2
        $after = 'billing' | Get-KafkaSyncOffset $config
        $after.Action | Should -Be 'Unchanged'
        $after.CommittedOffset | Should -Be 2
        # The group continues on the target where it left off on the source.
        $rest = kcat -b $target.BootstrapServers -G billing -c 4 -q -f '%k\n' orders 2>$null
        $rest | Should -Be @('c', 'd', 'e', 'f')
    }
}
