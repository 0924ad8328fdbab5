# Long-running work from the outside: agents, services and link ends list themselves in the
# registry of running agents, and Get-, Stop- and Wait-KafkaSyncAgent act on them from any
# session or process (TestSetup.ps1 gives this file a registry of its own); -AsJob on the
# time-series services and the link ends; Wait-KafkaSyncTsdbNode.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:kafka = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders, copies, metrics -Partitions 2
    $script:key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
    $script:keyFile = Join-Path ([IO.Path]::GetTempPath()) ("ks-agents-key-" + [Guid]::NewGuid().ToString('N'))
    Set-Content $keyFile 'a pre-shared key of decent length' -NoNewline

    function New-TestFolder { Join-Path ([IO.Path]::GetTempPath()) ("ks-agent-" + [Guid]::NewGuid().ToString('N')) }

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $port
    }

    # A receiver job on a queue of its own; the registry names it after the queue folder.
    function Start-Receiver {
        $queue = New-TestFolder
        $job = Receive-KafkaSyncQueue -Path $queue -Listen "127.0.0.1:$(Get-FreePort)" -Credential $key -Create -AsJob
        [pscustomobject]@{ Job = $job; Queue = $queue; Name = Split-Path $queue -Leaf }
    }

    # pwsh as a process of its own (the dotnet tool's launcher starts `dotnet pwsh.dll`: start that directly).
    $script:pwshHost = [Environment]::ProcessPath
    $script:pwshPrefix = if ((Split-Path $pwshHost -Leaf) -like 'dotnet*') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
    $script:processes = @()
    function Start-ChildProcess([string] $FilePath, [string[]] $Arguments, [string] $Log) {
        $process = Start-Process -FilePath $FilePath -ArgumentList $Arguments -PassThru -RedirectStandardOutput "$Log.out" -RedirectStandardError "$Log.err"
        $script:processes += @($process)
        $process
    }
}

AfterAll {
    $processes | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() }
    Get-Job | Where-Object PSJobTypeName -eq 'KafkaSyncAgentJob' | Remove-Job -Force
    $kafka | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
    Remove-Item $keyFile
}

Describe 'Get-KafkaSyncAgent' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'lists a running link end with its kind, state, process and queue folder, by name, wildcard and kind' {
        $receiver = Start-Receiver
        $agent = Get-KafkaSyncAgent -Name $receiver.Name
        $agent | Should -BeOfType ([KafkaSync.Engine.Agents.AgentInfo])
        $agent.Kind | Should -Be 'Receiver'
        $agent.State | Should -Be 'Running'
        $agent.ProcessId | Should -Be $PID
        $agent.Path | Should -Be $receiver.Queue
        (Get-KafkaSyncAgent 'ks-agent-*').Name | Should -Contain $receiver.Name
        (Get-KafkaSyncAgent -Kind Receiver).Name | Should -Contain $receiver.Name
        Get-KafkaSyncAgent -Kind Source, TsdbCluster | Where-Object Name -eq $receiver.Name | Should -BeNullOrEmpty
        # The default view is a table with the agent's name, kind and state.
        ($agent | Out-String) | Should -Match "$($receiver.Name)\s+Receiver\s+Running"
        $receiver.Job | Stop-Job
        Get-KafkaSyncAgent -Name 'ks-agent-*' | Where-Object Name -eq $receiver.Name | Should -BeNullOrEmpty
    }

    It 'reports a name no agent has' {
        { Get-KafkaSyncAgent -Name 'no-such-agent' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,KafkaSync.PowerShell.Agents.GetKafkaSyncAgentCommand'
        # A wildcard that matches nothing is no error.
        Get-KafkaSyncAgent -Name 'no-such-*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'shows an agent whose process was killed as Dead, and Stop-KafkaSyncAgent removes its entry' {
        $queue = New-TestFolder
        $script = "Import-Module '$ModuleManifest'; Receive-KafkaSyncQueue -Path '$queue' -Listen 127.0.0.1:$(Get-FreePort) -KeyFile '$keyFile' -Create"
        $process = Start-ChildProcess $pwshHost (@($pwshPrefix) + @('-NoProfile', '-NonInteractive', '-Command', $script)) $queue
        $name = Split-Path $queue -Leaf
        Wait-Until { (Get-KafkaSyncAgent -Name $name -ErrorAction SilentlyContinue).State -eq 'Running' } | Should -BeTrue
        $process.Kill()
        $process.WaitForExit(60000) | Should -BeTrue
        $dead = Get-KafkaSyncAgent -Name $name
        $dead.State | Should -Be 'Dead'
        $dead.ProcessId | Should -Be $process.Id
        $dead | Stop-KafkaSyncAgent -WhatIf
        (Get-KafkaSyncAgent -Name $name).State | Should -Be 'Dead'
        $removed = $dead | Stop-KafkaSyncAgent -PassThru
        $removed.State | Should -Be 'Dead'
        Get-KafkaSyncAgent -Name $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Stop-KafkaSyncAgent and Wait-KafkaSyncAgent on agents of other processes' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'waits for a source to catch up, then stops a kafkasync target process cleanly with every record delivered' {
        $records = 500
        $root = New-TestFolder
        $port = Get-FreePort
        $config = "$root-target.json"
        @{
            name        = 'cli-target'
            kafka       = @{ bootstrapServers = $kafka.BootstrapServers }
            queue       = @{ path = "$root/target" }
            link        = @{ listen = "127.0.0.1:$port" }
            linkKeyFile = $keyFile
            topics      = @{ map = @{ orders = 'copies' } }
        } | ConvertTo-Json -Depth 5 | Set-Content $config

        # The source runs as a job here; its target is not up yet, so its lag cannot reach 0.
        $source = Start-KafkaSyncSource -Name pwsh-source -BootstrapServers $kafka.BootstrapServers -Topic orders -QueuePath "$root/source" -LinkTarget "127.0.0.1:$port" -LinkCredential $key -StartFrom Earliest -AsJob
        1..$records | ForEach-Object { "key-${_}:value-${_}" } | kcat -b $kafka.BootstrapServers -P -t orders -K :
        Wait-Until { (Get-KafkaSyncAgent pwsh-source).Status.RecordsIn -eq $records } | Should -BeTrue
        $err = { Wait-KafkaSyncAgent pwsh-source -CaughtUp -Timeout 2 } |
            Should -Throw -ErrorId 'WaitTimedOut,KafkaSync.PowerShell.Agents.WaitKafkaSyncAgentCommand' -PassThru
        $err.Exception.Message | Should -Match "'pwsh-source' Running with lag [1-9]"

        # The target is the command-line host, in a process of its own.
        $target = Start-ChildProcess 'dotnet' @($KafkasyncDll, 'target', '--config', $config) $root
        $caughtUp = Wait-KafkaSyncAgent pwsh-source -CaughtUp -Timeout 120
        $caughtUp.LagRecords | Should -Be 0
        # The queue holds the records and the topic descriptions the source adds for the target.
        $lastSeq = $caughtUp.Status.NextSeq - 1
        $lastSeq | Should -BeGreaterOrEqual $records
        $caughtUp.Status.DoneSeq | Should -Be $lastSeq
        # A target has lag 0 before anything arrives: wait for it to have everything first.
        Wait-Until { (Get-KafkaSyncAgent cli-target -ErrorAction SilentlyContinue).Status.NextSeq -gt $lastSeq } | Should -BeTrue
        $delivered = Wait-KafkaSyncAgent -Path "$root/target" -CaughtUp -Timeout 120
        $delivered.Name | Should -Be 'cli-target'
        $delivered.ProcessId | Should -Be $target.Id

        $stopped = Stop-KafkaSyncAgent cli-target -PassThru
        $stopped.State | Should -Be 'Stopped'
        $stopped.Status.State | Should -Be 'Stopped'
        $stopped.Status.DoneSeq | Should -Be $lastSeq
        $target.WaitForExit(30000) | Should -BeTrue
        $target.ExitCode | Should -Be 0
        (Get-Content -Raw "$root.out" | ConvertFrom-Json).state | Should -Be 'stopped'
        (Get-KafkaSyncQueue "$root/target").NextSeq | Should -Be ($lastSeq + 1)
        @(kcat -b $kafka.BootstrapServers -C -t copies -e -q -f '%k\n' 2>$null).Count | Should -Be $records
        Get-KafkaSyncAgent cli-target -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        # An agent job stopped through the registry ends as Stop-Job would end it.
        Get-KafkaSyncAgent -Kind Source | Where-Object Name -eq pwsh-source | Stop-KafkaSyncAgent
        $source.State | Should -Be 'Stopped'
        ($source | Receive-Job).State | Should -Be 'Stopped'
        $source | Remove-Job
    }

    It 'stops a target agent a pwsh of its own runs in the foreground, as Ctrl+C would' {
        $queue = New-TestFolder
        $scenario = Join-Path $PSScriptRoot 'Scenarios/Run-TargetAgent.ps1'
        $arguments = @($pwshPrefix) + @('-NoProfile', '-NonInteractive', '-File', $scenario, '-ModuleManifest', $ModuleManifest, '-BootstrapServers', $kafka.BootstrapServers,
            '-QueuePath', $queue, '-Port', (Get-FreePort), '-KeyFile', $keyFile)
        $process = Start-ChildProcess $pwshHost $arguments $queue
        Wait-Until { (Get-KafkaSyncAgent -Kind Target | Where-Object Path -eq $queue).State -eq 'Running' } | Should -BeTrue
        $agent = Get-KafkaSyncAgent -Kind Target | Where-Object Path -eq $queue
        $agent.ProcessId | Should -Not -Be $PID

        Stop-KafkaSyncAgent -Path $queue -WhatIf
        (Get-KafkaSyncAgent -Name $agent.Name).State | Should -Be 'Running'

        $stopped = Stop-KafkaSyncAgent -Name $agent.Name -Timeout 60 -PassThru
        $stopped.State | Should -Be 'Stopped'
        (Get-KafkaSyncStatus $queue).State | Should -Be 'Stopped'
        $process.WaitForExit(30000) | Should -BeTrue
        # The final status also reached the foreground cmdlet's output.
        Get-Content -Raw "$queue.out" | Should -Match 'Stopped'
    }

    It 'stops a kafkasync link receive process by its queue folder' {
        $queue = New-TestFolder
        $process = Start-ChildProcess 'dotnet' @($KafkasyncDll, 'link', 'receive', '--queue', $queue, '--listen', "127.0.0.1:$(Get-FreePort)", '--key-file', $keyFile) $queue
        Wait-Until { (Get-KafkaSyncAgent -Kind Receiver | Where-Object Path -eq $queue).State -eq 'Running' } | Should -BeTrue
        $stopped = Stop-KafkaSyncAgent -Path $queue -PassThru
        $stopped.Name | Should -Be (Split-Path $queue -Leaf)
        $stopped.ProcessId | Should -Be $process.Id
        $stopped.State | Should -Be 'Stopped'
        $process.WaitForExit(30000) | Should -BeTrue
        $process.ExitCode | Should -Be 0
        (Get-Content -Raw "$queue.out" | ConvertFrom-Json).state | Should -Not -BeNullOrEmpty
    }

    It 'reports a name or path no agent has' {
        { Stop-KafkaSyncAgent -Name 'no-such-agent' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,KafkaSync.PowerShell.Agents.StopKafkaSyncAgentCommand'
        { Stop-KafkaSyncAgent -Path (New-TestFolder) -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,KafkaSync.PowerShell.Agents.StopKafkaSyncAgentCommand'
        { Wait-KafkaSyncAgent -Name 'no-such-agent' -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,KafkaSync.PowerShell.Agents.WaitKafkaSyncAgentCommand'
    }
}

Describe 'Wait-KafkaSyncAgent until agents stop' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'fails with WaitTimedOut while the agent runs, and returns it once stopped' {
        $receiver = Start-Receiver
        $err = { Wait-KafkaSyncAgent $receiver.Name -Timeout 1 } |
            Should -Throw -ErrorId 'WaitTimedOut,KafkaSync.PowerShell.Agents.WaitKafkaSyncAgentCommand' -PassThru
        $err.Exception.Message | Should -Match 'to stop'
        $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $agent = Get-KafkaSyncAgent $receiver.Name
        # Another session stops it while this one waits.
        $name = $receiver.Name
        $stopper = Start-ThreadJob { Start-Sleep -Milliseconds 500; Import-Module $using:ModuleManifest; Stop-KafkaSyncAgent -Name $using:name }
        $done = $agent | Wait-KafkaSyncAgent -Timeout 60
        $done.State | Should -Be 'Stopped'
        $stopper | Wait-Job | Remove-Job
        $receiver.Job.State | Should -Be 'Stopped'
        ($receiver.Job | Receive-Job) | Should -BeOfType ([KafkaSync.Engine.Link.LinkStatus])
    }

    It 'refuses -CaughtUp for an agent that keeps no lag' {
        $receiver = Start-Receiver
        { Wait-KafkaSyncAgent $receiver.Name -CaughtUp -Timeout 5 } |
            Should -Throw -ErrorId 'LagUnknown,KafkaSync.PowerShell.Agents.WaitKafkaSyncAgentCommand'
        $receiver.Job | Stop-Job
    }
}

Describe '-AsJob on the link ends' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'sends a queue to a receiver, both as jobs: each is registered and Receive-Job gives its final link status' {
        $source = New-TestFolder
        dotnet $KafkasyncDll queue demo --path $source --records 300 | Out-Null
        $port = Get-FreePort
        $receiver = Receive-KafkaSyncQueue -Path (New-TestFolder) -Listen "127.0.0.1:$port" -Credential $key -Create -AsJob
        $sender = Send-KafkaSyncQueue -Path $source -Target "127.0.0.1:$port" -Credential $key -AsJob
        $sender | Should -BeOfType ([KafkaSync.PowerShell.Agents.AgentJob])
        $registered = Get-KafkaSyncAgent -Kind Sender | Where-Object Path -eq $source
        $registered.Name | Should -Be (Split-Path $source -Leaf)
        Wait-Until { $sender.Progress.Count -gt 0 -and $sender.Progress[-1].StatusDescription -match 'acked seq 300' } | Should -BeTrue
        $registered | Stop-KafkaSyncAgent
        $sender.State | Should -Be 'Stopped'
        ($sender | Receive-Job).AckedSeq | Should -Be 300

        # With -UntilCaughtUp the job completes on its own.
        $again = Send-KafkaSyncQueue -Path $source -Target "127.0.0.1:$port" -Credential $key -UntilCaughtUp -Timeout 60 -AsJob
        $again | Wait-Job -Timeout 90 | Out-Null
        $again.State | Should -Be 'Completed'
        ($again | Receive-Job).AckedSeq | Should -Be 300

        $receiver | Stop-Job
        $receiver.State | Should -Be 'Stopped'
        ($receiver | Receive-Job) | Should -BeOfType ([KafkaSync.Engine.Link.LinkStatus])
        $sender, $again, $receiver | Remove-Job
    }

    It 'fails the calling pipeline, and starts no job, when the receiver cannot listen' {
        $taken = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $taken.Start()
        try {
            $before = @(Get-Job).Count
            { Receive-KafkaSyncQueue -Path (New-TestFolder) -Listen "127.0.0.1:$($taken.LocalEndpoint.Port)" -Credential $key -Create -AsJob -ErrorAction Stop } |
                Should -Throw -ErrorId 'ReceiverUnavailable,KafkaSync.PowerShell.Link.ReceiveKafkaSyncQueueCommand'
            @(Get-Job).Count | Should -Be $before
        }
        finally { $taken.Stop() }
    }
}

Describe 'The time-series services as jobs, and Wait-KafkaSyncTsdbNode' {
    BeforeAll {
        # A port found free may be taken before VictoriaMetrics binds it (other processes start
        # meanwhile); it then exits at once, so start it again on another port until it answers.
        $script:vmData = New-TestFolder
        foreach ($attempt in 1..5) {
            $script:vmPort = Get-FreePort
            $script:vm = Start-ChildProcess 'victoria-metrics' @('-storageDataPath', $vmData, '-httpListenAddr', "127.0.0.1:$vmPort") "$vmData-$attempt"
            $healthy = Wait-Until {
                if ($vm.HasExited) { return 'exited' }
                try { if ((Invoke-WebRequest "http://127.0.0.1:$vmPort/health" -TimeoutSec 2).StatusCode -eq 200) { 'up' } } catch { $null }
            } -TimeoutSeconds 60
            if ($healthy -eq 'up') { break }
        }
        $healthy | Should -Be 'up' -Because "VictoriaMetrics must start (see $vmData-$attempt.err)"
        $script:statusPort = Get-FreePort
        $script:tsdbConfig = "$vmData.json"
        @{
            name     = 'metrics'
            kind     = 'victoriaMetrics'
            nodes    = @(@{ name = 'vm'; url = "http://127.0.0.1:$vmPort" }, @{ name = 'gone'; url = 'http://127.0.0.1:1' })
            kafka    = @{ bootstrapServers = $kafka.BootstrapServers; topic = 'metrics' }
            monitor  = @{ checkInterval = '200ms'; listen = "127.0.0.1:$statusPort" }
            balancer = @{ listen = '127.0.0.1:0' }
        } | ConvertTo-Json -Depth 5 | Set-Content $tsdbConfig
        $script:statusUrl = "http://127.0.0.1:$statusPort/"
    }
    AfterAll {
        if (-not $vm.HasExited) { $vm.Kill(); $vm.WaitForExit() }
        Remove-Item $vmData, $tsdbConfig -Recurse -Force -ErrorAction SilentlyContinue
    }
    BeforeEach { Start-TestWatchdog }
    AfterEach {
        # A failed test must not leave its service holding the status port for the next one.
        Get-Job | Where-Object PSJobTypeName -eq 'KafkaSyncAgentJob' | Stop-Job -PassThru | Remove-Job -Force
        Stop-TestWatchdog
    }

    It 'runs the cluster and a balancer as jobs, waits for a node to be Available, and stops both through the registry' {
        $cluster = Start-KafkaSyncTsdbCluster -ConfigPath $tsdbConfig -AsJob
        $cluster | Should -BeOfType ([KafkaSync.PowerShell.Agents.AgentJob])
        $node = Wait-KafkaSyncTsdbNode vm -Url $statusUrl -Timeout 120
        $node.Name | Should -Be 'vm'
        $node.State | Should -Be 'Available'
        $err = { Wait-KafkaSyncTsdbNode gone -Url $statusUrl -Timeout 1 } |
            Should -Throw -ErrorId 'WaitTimedOut,KafkaSync.PowerShell.Tsdb.WaitKafkaSyncTsdbNodeCommand' -PassThru
        $err.Exception.Message | Should -Match 'gone Unavailable'
        (Wait-KafkaSyncTsdbNode gone -State Unavailable -Url $statusUrl -Timeout 30).Name | Should -Be 'gone'

        $registered = Get-KafkaSyncAgent metrics
        $registered.Kind | Should -Be 'TsdbCluster'
        $registered.State | Should -Be 'Running'
        $registered.Url.ToString() | Should -Be $statusUrl

        $balancer = Start-KafkaSyncTsdbBalancer -ConfigPath $tsdbConfig -MonitorUrl $statusUrl -Listen "127.0.0.1:$(Get-FreePort)" -AsJob
        (Get-KafkaSyncAgent metrics-balancer).Kind | Should -Be 'TsdbBalancer'

        Stop-KafkaSyncAgent metrics, metrics-balancer -Timeout 60
        $cluster.State | Should -Be 'Stopped'
        $balancer.State | Should -Be 'Stopped'
        ($cluster | Receive-Job).Name | Sort-Object | Should -Be @('gone', 'vm')
        $cluster, $balancer | Remove-Job
        { Get-KafkaSyncTsdbNode -Url $statusUrl -ErrorAction Stop } | Should -Throw
    }

    It 'fails the calling pipeline, and starts no job, when the cluster cannot start' {
        $taken = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $statusPort)
        $taken.Start()
        try {
            $before = @(Get-Job).Count
            { Start-KafkaSyncTsdbCluster -ConfigPath $tsdbConfig -AsJob -ErrorAction Stop } |
                Should -Throw -ErrorId 'ClusterFailed,KafkaSync.PowerShell.Tsdb.StartKafkaSyncTsdbClusterCommand'
            @(Get-Job).Count | Should -Be $before
            Get-KafkaSyncAgent metrics -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { $taken.Stop() }
    }

    It 'reports a node the service does not have' {
        { Wait-KafkaSyncTsdbNode nosuch -Url $statusUrl -Timeout 1 } |
            Should -Throw -ErrorId 'WaitTimedOut,KafkaSync.PowerShell.Tsdb.WaitKafkaSyncTsdbNodeCommand'
        $cluster = Start-KafkaSyncTsdbCluster -ConfigPath $tsdbConfig -AsJob
        try {
            Wait-KafkaSyncTsdbNode vm -Url $statusUrl -Timeout 120 | Out-Null
            { Wait-KafkaSyncTsdbNode nosuch -Url $statusUrl -Timeout 5 } |
                Should -Throw -ErrorId 'NodeNotFound,KafkaSync.PowerShell.Tsdb.WaitKafkaSyncTsdbNodeCommand'
        }
        finally { $cluster | Stop-Job; $cluster | Remove-Job }
    }
}
