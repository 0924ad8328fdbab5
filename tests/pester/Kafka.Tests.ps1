# Pester tests for the sync cmdlets (the agents themselves are tested in xunit).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Start-KafkaSyncSource' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names the missing field when the config is incomplete' {
        { Start-KafkaSyncSource -BootstrapServers '127.0.0.1:9092' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncSourceCommand'
    }
}

Describe 'Start-KafkaSyncTarget' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names the missing field when the config is incomplete' {
        $error = { Start-KafkaSyncTarget -BootstrapServers '127.0.0.1:9092' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncTargetCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Get-KafkaSyncStatus' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'reports a folder where no agent ever ran' {
        $empty = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $empty | Out-Null
        $error = { Get-KafkaSyncStatus -Path $empty -ErrorAction Stop } |
            Should -Throw -ErrorId 'StatusUnavailable,KafkaSync.PowerShell.Sync.GetKafkaSyncStatusCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Remove-Item $empty
    }
}

Describe 'Start-KafkaSyncEmbeddedCluster and Stop-KafkaSyncEmbeddedCluster' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'refuses <Brokers> brokers' -TestCases @(@{ Brokers = 0 }, @{ Brokers = 17 }) {
        { Start-KafkaSyncEmbeddedCluster -Brokers $Brokers } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaSync.PowerShell.Kafka.StartKafkaSyncEmbeddedClusterCommand'
    }

    It 'stops only a cluster object, not text' {
        { Stop-KafkaSyncEmbeddedCluster -Cluster '127.0.0.1:9092' -Confirm:$false } |
            Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,KafkaSync.PowerShell.Kafka.StopKafkaSyncEmbeddedClusterCommand'
    }

    It 'starts a cluster with a topic and stops it' {
        $cluster = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic t -Partitions 3
        $cluster.BootstrapServers | Should -Match '^127\.0\.0\.1:\d+$'
        $cluster | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
        { [Net.Sockets.TcpClient]::new('127.0.0.1', [int]($cluster.BootstrapServers -split ':')[-1]).Dispose() } | Should -Throw
    }
}

Describe 'Embedded cluster, both agents and Get-KafkaSyncStatus' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'copies records between two embedded clusters and reports status' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        $source = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
        $target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $t = Start-KafkaSyncTarget -BootstrapServers $target.BootstrapServers -QueuePath "$root/t" -Listen "127.0.0.1:$port" -LinkCredential $key -AsJob
        $s = Start-KafkaSyncSource -BootstrapServers $source.BootstrapServers -Topic orders -QueuePath "$root/s" -LinkTarget "127.0.0.1:$port" -LinkCredential $key -AsJob
        'a:1', 'b:2' | kcat -b $source.BootstrapServers -P -t orders -p 0 -K :
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do { Start-Sleep -Milliseconds 200; $status = Get-KafkaSyncStatus "$root/t" -ErrorAction SilentlyContinue }
        while ($status.RecordsOut -lt 2 -and [DateTime]::UtcNow -lt $deadline)
        $status.RecordsOut | Should -Be 2
        # The source agent announces each topic before its records: a control record, not a Kafka one.
        $first = Get-KafkaSyncQueueRecord -Path "$root/s" -From 1 -Count 1
        $first.IsKafkaRecord | Should -BeFalse
        $first.Control | Should -Be 'topic orders has 2 partitions'
        $s, $t | Stop-Job
        ($s | Receive-Job -Wait).State | Should -Be 'Stopped'
        $t | Receive-Job -Wait | Out-Null
        $source, $target | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
    }

    It 'fails the target job naming the seq of a record larger than its message.max.bytes, and the setting to raise' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $root | Out-Null
        $source = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic events -Partitions 1
        $target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic events -Partitions 1
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        $port = Get-Random -Minimum 20000 -Maximum 60000
        @{ kafka = @{ bootstrapServers = $target.BootstrapServers; settings = @{ 'message.max.bytes' = '10000' } } } |
            ConvertTo-Json -Depth 4 | Set-Content "$root/target.json"
        $t = Start-KafkaSyncTarget -ConfigPath "$root/target.json" -QueuePath "$root/t" -Listen "127.0.0.1:$port" -LinkCredential $key -AsJob
        $s = Start-KafkaSyncSource -BootstrapServers $source.BootstrapServers -Topic events -QueuePath "$root/s" -LinkTarget "127.0.0.1:$port" -LinkCredential $key -AsJob
        "small:$('x' * 100)", "large:$('y' * 20000)" | kcat -b $source.BootstrapServers -P -t events -p 0 -K :

        $t | Wait-Job -Timeout 60 | Out-Null
        $t.State | Should -Be 'Failed'
        $message = $t.JobStateInfo.Reason.Message
        $message | Should -Match '^The target producer refused seq \d+ for events\[0\] before sending it: .*message\.max\.bytes'
        $refused = [long][regex]::Match($message, 'seq (\d+)').Groups[1].Value
        (Get-KafkaSyncStatus "$root/t").DoneSeq | Should -BeLessThan $refused
        $s | Stop-Job
        $s, $t | Remove-Job
        $source, $target | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
    }

    It 'says each report of an unreachable target cluster once in the Verbose stream, however often librdkafka repeats it' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        New-Item -ItemType Directory $root | Out-Null
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $gone = $listener.LocalEndpoint.Port; $listener.Stop()
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        # librdkafka tries again every 100 ms here, reporting each refused connection twice (a log line and an error).
        @{ kafka = @{ bootstrapServers = "127.0.0.1:$gone"; settings = @{ 'reconnect.backoff.max.ms' = '100' } } } |
            ConvertTo-Json -Depth 4 | Set-Content "$root/target.json"
        $t = Start-KafkaSyncTarget -ConfigPath "$root/target.json" -QueuePath "$root/t" -Listen '127.0.0.1:0' -LinkCredential $key -AsJob -Verbose
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ([DateTime]::UtcNow -lt $deadline -and -not ($t.Verbose | Where-Object { "$_" -like '*brokers are down*' })) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Seconds 3 # the outage itself: some 30 reconnects, not a wait for a result
        $t | Stop-Job
        $t | Wait-Job | Out-Null

        $reports = @($t.Verbose | ForEach-Object { "$_" } | Where-Object { $_ -like 'Target cluster: *' -or $_ -like 'librdkafka *' })
        $reports | Should -Contain 'Target cluster: 1/1 brokers are down'
        $reports | Where-Object { $_ -like '*Connection refused*' } | Should -Not -BeNullOrEmpty
        $reports | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name | Should -BeNullOrEmpty
        $t | Remove-Job
    }
}
