# Pester tests for the /metrics endpoint as a PowerShell user meets it: -MetricsListen on the agent
# cmdlets, scraped with Invoke-WebRequest while the agents run as jobs (the series themselves are
# checked in xunit, tests/KafkaSync.Engine.Tests/Metrics).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force

    # A port nobody listens on now: bound to 0 by the system, then released.
    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    # Samples of the Prometheus text format as objects: Name, Labels (hashtable), Value.
    function ConvertFrom-PrometheusText([string] $Text) {
        foreach ($line in $Text -split "`n") {
            if ($line -match '^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$') {
                $labels = @{}
                foreach ($pair in [regex]::Matches($Matches.labels + '', '(?<k>[a-zA-Z_][a-zA-Z0-9_]*)="(?<v>(\\.|[^"\\])*)"')) {
                    $labels[$pair.Groups['k'].Value] = $pair.Groups['v'].Value
                }
                [pscustomobject]@{ Name = $Matches.name; Labels = $labels; Value = [double]::Parse($Matches.value, [Globalization.CultureInfo]::InvariantCulture) }
            }
        }
    }
}

Describe 'Start-KafkaSyncSource -MetricsListen' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'names metrics.listen when the address is not host:port' {
        { Start-KafkaSyncSource -BootstrapServers '127.0.0.1:9092' -Topic t -QueuePath (Join-Path TestDrive: q) -LinkTarget '127.0.0.1:7070' -LinkKeyFile (Join-Path TestDrive: k) -MetricsListen 'no-port' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncSourceCommand' -ExpectedMessage '*metrics.listen*'
    }
}

Describe 'Agents with -MetricsListen, scraped while they run as jobs' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'serves /metrics from both agents with the records counted per topic-partition' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        $source = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
        $target = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 2
        $key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
        $linkPort, $sourceMetrics, $targetMetrics = (Get-FreePort), (Get-FreePort), (Get-FreePort)
        $t = Start-KafkaSyncTarget -BootstrapServers $target.BootstrapServers -QueuePath "$root/t" -Listen "127.0.0.1:$linkPort" -LinkCredential $key -MetricsListen "127.0.0.1:$targetMetrics" -AsJob
        $s = Start-KafkaSyncSource -BootstrapServers $source.BootstrapServers -Topic orders -QueuePath "$root/s" -LinkTarget "127.0.0.1:$linkPort" -LinkCredential $key -MetricsListen "127.0.0.1:$sourceMetrics" -AsJob
        try {
            'a:1', 'b:2', 'c:3' | kcat -b $source.BootstrapServers -P -t orders -p 0 -K :
            'd:4' | kcat -b $source.BootstrapServers -P -t orders -p 1 -K :

            $produced = $null
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 200
                $response = Invoke-WebRequest "http://127.0.0.1:$targetMetrics/metrics" -SkipHttpErrorCheck -ErrorAction SilentlyContinue
                if ($response.StatusCode -eq 200) {
                    $samples = ConvertFrom-PrometheusText $response.Content
                    $produced = $samples | Where-Object Name -EQ 'kafkasync_target_produced_records_total'
                }
            } while (($produced | Measure-Object Value -Sum).Sum -lt 4 -and [DateTime]::UtcNow -lt $deadline)

            $response.Headers['Content-Type'] | Should -Be 'text/plain; version=0.0.4; charset=utf-8'
            ($produced | Where-Object { $_.Labels.partition -eq '0' }).Value | Should -Be 3
            ($produced | Where-Object { $_.Labels.partition -eq '1' }).Value | Should -Be 1
            ($samples | Where-Object Name -EQ 'kafkasync_link_up').Value | Should -Be 1
            ($samples | Where-Object Name -EQ 'kafkasync_agent_info').Labels.role | Should -Be 'target'

            $fromSource = ConvertFrom-PrometheusText (Invoke-WebRequest "http://127.0.0.1:$sourceMetrics/metrics").Content
            ($fromSource | Where-Object Name -EQ 'kafkasync_source_consumed_records_total' | Measure-Object Value -Sum).Sum | Should -Be 4
            ($fromSource | Where-Object { $_.Name -eq 'kafkasync_agent_state' -and $_.Labels.state -eq 'running' }).Value | Should -Be 1
            ($fromSource | Where-Object Name -EQ 'kafkasync_queue_capacity_bytes').Value | Should -BeGreaterThan 0
        }
        finally {
            $s, $t | Stop-Job
            ($s | Receive-Job -Wait).State | Should -Be 'Stopped'
            $t | Receive-Job -Wait | Out-Null
            $source, $target | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
        }
    }
}
