# How long-running cmdlets end: a stop request (Ctrl+C, PowerShell.Stop(), Stop-Job) still
# yields their final status, jobs stop before Stop-Job returns, and failures name their cause.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:kafka = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
    $script:key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))

    function New-TestFolder { Join-Path ([IO.Path]::GetTempPath()) ("ks-life-" + [Guid]::NewGuid().ToString('N')) }

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $port
    }

    # Runs $Script in a PowerShell instance of its own (a runspace with the module), as a host would.
    function Start-Instance([scriptblock] $Script, [hashtable] $Parameters) {
        $ps = [PowerShell]::Create()
        [void]$ps.AddScript("Import-Module '$ModuleManifest'").AddStatement().AddScript($Script).AddParameters($Parameters)
        [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
    }

    function Get-Summary($Information) { @($Information | Where-Object { $_.Tags -contains 'KafkaSync.Summary' }) }
}

AfterAll {
    $kafka | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
}

Describe 'A foreground cmdlet stopped by PowerShell.Stop()' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'Start-KafkaSyncTarget writes its final status to the Information stream and leaves status.json Stopped' {
        $queue = New-TestFolder
        $run = Start-Instance {
            param($Bootstrap, $Queue, $Port, $Key)
            Start-KafkaSyncTarget -Name stopped -BootstrapServers $Bootstrap -QueuePath $Queue -Listen "127.0.0.1:$Port" -LinkCredential $Key
        } @{ Bootstrap = $kafka.BootstrapServers; Queue = $queue; Port = (Get-FreePort); Key = $key }
        Wait-Until { (Get-KafkaSyncStatus $queue -ErrorAction SilentlyContinue).State -eq 'Running' } | Should -BeTrue
        $run.PowerShell.Stop()
        $summary = Get-Summary $run.PowerShell.Streams.Information
        $summary.Count | Should -Be 1
        $summary[0].MessageData | Should -BeOfType ([KafkaSync.Engine.Sync.AgentStatus])
        $summary[0].MessageData.Name | Should -Be 'stopped'
        $summary[0].MessageData.State | Should -Be 'Stopped'
        $summary[0].Tags | Should -Contain 'PSHOST'
        (Get-KafkaSyncStatus $queue).State | Should -Be 'Stopped'
        $run.PowerShell.Dispose()
    }

    It 'Receive-KafkaSyncQueue writes its final link status to the Information stream' {
        $queue = New-TestFolder
        $port = Get-FreePort
        $run = Start-Instance {
            param($Queue, $Port, $Key)
            Receive-KafkaSyncQueue -Path $Queue -Listen "127.0.0.1:$Port" -Credential $Key -Create
        } @{ Queue = $queue; Port = $port; Key = $key }
        Wait-Until { try { [Net.Sockets.TcpClient]::new('127.0.0.1', $port).Dispose(); $true } catch { $false } } | Should -BeTrue
        $run.PowerShell.Stop()
        $summary = Get-Summary $run.PowerShell.Streams.Information
        $summary.Count | Should -Be 1
        $summary[0].MessageData | Should -BeOfType ([KafkaSync.Engine.Link.LinkStatus])
        $run.PowerShell.Dispose()
    }
}

Describe 'Start-KafkaSyncTsdbCluster in a thread job stopped by Stop-Job' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'returns the final node list on the job''s Information stream' {
        $port = Get-FreePort
        $config = Join-Path ([IO.Path]::GetTempPath()) "tsdb-$([Guid]::NewGuid()).json"
        @{
            kind     = 'victoriaMetrics'
            nodes    = @(@{ name = 'gone'; url = 'http://127.0.0.1:1' })
            kafka    = @{ bootstrapServers = $kafka.BootstrapServers; topic = 'orders' }
            monitor  = @{ checkInterval = '200ms'; listen = "127.0.0.1:$port" }
            balancer = @{ listen = '127.0.0.1:0' }
        } | ConvertTo-Json -Depth 5 | Set-Content $config
        $job = Start-ThreadJob { Import-Module $using:ModuleManifest; Start-KafkaSyncTsdbCluster -ConfigPath $using:config }
        Wait-Until { (Get-KafkaSyncTsdbNode -Url "http://127.0.0.1:$port/" -ErrorAction SilentlyContinue).State -eq 'Unavailable' } | Should -BeTrue
        $job | Stop-Job
        $job | Wait-Job -Timeout 60 | Out-Null
        $summary = Get-Summary $job.Information
        $summary.MessageData.Name | Should -Be 'gone'
        $summary.MessageData | Should -BeOfType ([KafkaSync.Engine.Tsdb.TsdbNodeStatus])
        $job | Remove-Job
        Remove-Item $config
    }
}

Describe 'Agent jobs (-AsJob)' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'Stop-Job returns once the agent stopped: Receive-Job right after has the summary and Remove-Job works' {
        $queue = New-TestFolder
        $job = Start-KafkaSyncTarget -Name jobbed -BootstrapServers $kafka.BootstrapServers -QueuePath $queue -Listen "127.0.0.1:$(Get-FreePort)" -LinkCredential $key -AsJob
        Wait-Until { (Get-KafkaSyncStatus $queue -ErrorAction SilentlyContinue).State -eq 'Running' } | Should -BeTrue
        $job | Stop-Job
        $job.State | Should -Be 'Stopped'
        $summary = $job | Receive-Job
        $summary.Name | Should -Be 'jobbed'
        $summary.State | Should -Be 'Stopped'
        { $job | Remove-Job -ErrorAction Stop } | Should -Not -Throw
    }

    It 'keeps only the latest progress record' {
        $queue = New-TestFolder
        $job = Start-KafkaSyncTarget -Name progress -BootstrapServers $kafka.BootstrapServers -QueuePath $queue -Listen "127.0.0.1:$(Get-FreePort)" -LinkCredential $key -AsJob
        # The job reports once a second: after more than three reports, one record is left.
        $since = [DateTime]::UtcNow
        Wait-Until { $job.Progress.Count -gt 1 -or ([DateTime]::UtcNow - $since).TotalSeconds -gt 4 } | Out-Null
        $job.Progress.Count | Should -Be 1
        $job.Progress[0].StatusDescription | Should -Match 'Running'
        $job | Stop-Job
        $job | Remove-Job
    }

    It 'fails with the cause in JobStateInfo.Reason and a proper category when the agent cannot start' {
        $notAFolder = New-TestFolder
        Set-Content $notAFolder 'a file where the queue folder should be'
        $job = Start-KafkaSyncTarget -Name broken -BootstrapServers $kafka.BootstrapServers -QueuePath $notAFolder -Listen "127.0.0.1:$(Get-FreePort)" -LinkCredential $key -AsJob
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Failed'
        $job.JobStateInfo.Reason | Should -Not -BeNullOrEmpty
        $job.JobStateInfo.Reason.Message | Should -Match 'file'
        $job.Error[0].FullyQualifiedErrorId | Should -Be 'AgentFailed'
        $job.Error[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $job | Remove-Job
        Remove-Item $notAFolder
    }

    It 'reports a missing link key in the calling pipeline and starts no job' {
        $before = @(Get-Job).Count
        { Start-KafkaSyncTarget -Name nokey -BootstrapServers $kafka.BootstrapServers -QueuePath (New-TestFolder) -Listen "127.0.0.1:$(Get-FreePort)" -AsJob -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncTargetCommand'
        $error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-Job).Count | Should -Be $before
    }
}

Describe 'Send-KafkaSyncQueue and the queues it does not own' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'refuses a path where no queue is, and creates nothing there' {
        $typo = New-TestFolder
        { Send-KafkaSyncQueue -Path $typo -Target '127.0.0.1:9' -Credential $key -ErrorAction Stop } |
            Should -Throw -ErrorId 'QueueNotFound,KafkaSync.PowerShell.Link.SendKafkaSyncQueueCommand'
        $error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-Path $typo | Should -BeFalse
    }

    It 'gives up -UntilCaughtUp after -Timeout with CatchUpTimedOut' {
        $root = New-TestFolder
        $source = [KafkaSync.Engine.Queue.DiskQueue]::Open([KafkaSync.Engine.Queue.DiskQueueOptions]@{ Path = "$root/source" })
        [void]$source.TryAppend([byte[]](1, 2, 3), [ref]0)
        [void]$source.CommitAsync([Threading.CancellationToken]::None).AsTask().GetAwaiter().GetResult()
        $source.Dispose()
        # Nobody listens on the target: the record is never acknowledged.
        $started = [DateTime]::UtcNow
        { Send-KafkaSyncQueue -Path "$root/source" -Target "127.0.0.1:$(Get-FreePort)" -Credential $key -UntilCaughtUp -Timeout 2 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CatchUpTimedOut,KafkaSync.PowerShell.Link.SendKafkaSyncQueueCommand'
        $error[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 30
    }
}

Describe 'Receive-KafkaSyncQueue creates its queue only with -Create' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'refuses a new folder without -Create and creates nothing' {
        $typo = New-TestFolder
        { Receive-KafkaSyncQueue -Path $typo -Listen "127.0.0.1:$(Get-FreePort)" -Credential $key -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReceiverUnavailable,KafkaSync.PowerShell.Link.ReceiveKafkaSyncQueueCommand'
        Test-Path $typo | Should -BeFalse
    }
}

Describe 'An agent whose pwsh process ends' {
    BeforeAll {
        $script:scenario = Join-Path $PSScriptRoot 'Scenarios/Run-TargetAgent.ps1'
        $script:keyFile = Join-Path ([IO.Path]::GetTempPath()) ("ks-life-key-" + [Guid]::NewGuid().ToString('N'))
        Set-Content $keyFile 'a pre-shared key of decent length' -NoNewline

        # Signals must reach pwsh itself: run as a dotnet tool, pwsh is a launcher that starts
        # `dotnet pwsh.dll` as a child and forwards no signals, so start that child directly.
        $script:agentHost = [Environment]::ProcessPath
        $script:hostPrefix = if ((Split-Path $agentHost -Leaf) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }

        function Start-AgentProcess([string] $Queue, [string] $Mode = 'Foreground') {
            $arguments = @($hostPrefix) + @('-NoProfile', '-NonInteractive', '-File', $scenario, '-ModuleManifest', $ModuleManifest, '-BootstrapServers', $kafka.BootstrapServers,
                '-QueuePath', $Queue, '-Port', (Get-FreePort), '-KeyFile', $keyFile, '-Mode', $Mode)
            $process = Start-Process -FilePath $agentHost -ArgumentList $arguments -PassThru -RedirectStandardOutput "$Queue.out" -RedirectStandardError "$Queue.err"
            $script:agentProcesses += @($process)
            $process
        }
        $script:agentProcesses = @()
    }
    AfterAll {
        Remove-Item $keyFile
        $agentProcesses | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() }
    }
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'stops the agent cleanly on <_> and leaves status.json Stopped' -ForEach @('TERM', 'INT') {
        $queue = New-TestFolder
        $process = Start-AgentProcess $queue
        Wait-Until { (Get-KafkaSyncStatus $queue -ErrorAction SilentlyContinue).State -eq 'Running' } | Should -BeTrue
        kill "-$_" $process.Id
        $process.WaitForExit(60000) | Should -BeTrue
        (Get-KafkaSyncStatus $queue).State | Should -Be 'Stopped'
    }

    It 'stops an agent job cleanly when the script ends with exit' {
        $queue = New-TestFolder
        $process = Start-AgentProcess $queue -Mode JobThenExit
        $process.WaitForExit(90000) | Should -BeTrue
        (Get-KafkaSyncStatus $queue).State | Should -Be 'Stopped'
    }

    It 'reads as Dead once the process was killed outright' {
        $queue = New-TestFolder
        $process = Start-AgentProcess $queue
        Wait-Until { (Get-KafkaSyncStatus $queue -ErrorAction SilentlyContinue).State -eq 'Running' } | Should -BeTrue
        $process.Kill()
        $process.WaitForExit(60000) | Should -BeTrue
        $status = Get-KafkaSyncStatus $queue
        $status.State | Should -Be 'Dead'
        $status.ProcessId | Should -Be $process.Id
    }
}

Describe 'Get-KafkaSyncEmbeddedCluster' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'lists the clusters this session started until they are stopped' {
        $cluster = Start-KafkaSyncEmbeddedCluster -Brokers 1
        (Get-KafkaSyncEmbeddedCluster).BootstrapServers | Should -Contain $cluster.BootstrapServers
        (Get-KafkaSyncEmbeddedCluster).BootstrapServers | Should -Contain $kafka.BootstrapServers
        $found = Get-KafkaSyncEmbeddedCluster -BootstrapServers $cluster.BootstrapServers
        [object]::ReferenceEquals($found, $cluster) | Should -BeTrue
        Get-KafkaSyncEmbeddedCluster -BootstrapServers $cluster.BootstrapServers | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
        (Get-KafkaSyncEmbeddedCluster).BootstrapServers | Should -Not -Contain $cluster.BootstrapServers
    }

    It 'does not list clusters of another session' {
        $ps = [PowerShell]::Create()
        $other = $ps.AddScript("Import-Module '$ModuleManifest'; Get-KafkaSyncEmbeddedCluster").Invoke()
        $ps.Dispose()
        $other | Should -BeNullOrEmpty
    }

    It 'reports bootstrap servers no cluster of this session has' {
        { Get-KafkaSyncEmbeddedCluster -BootstrapServers '127.0.0.1:1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'EmbeddedClusterNotFound,KafkaSync.PowerShell.Kafka.GetKafkaSyncEmbeddedClusterCommand'
        $error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
