# A full disk under an agent's queue is backpressure, not a failure: Get-KafkaSyncStatus shows the
# pause with the disk and its free space, and the agent carries on once the disk has room again.
# The disk is a small tmpfs mounted for the test (the test machines run as root).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:kafka = Start-KafkaSyncEmbeddedCluster -Brokers 1 -Topic orders -Partitions 4
    $script:key = [pscredential]::new('link', (ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force))
    $script:disk = Join-Path ([IO.Path]::GetTempPath()) ("ks-full-" + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $disk | Out-Null
    mount -t tmpfs -o size=3m tmpfs $disk
    if ($LASTEXITCODE -ne 0) { throw "Cannot mount a tmpfs at $disk (the test needs root)." }

    function Get-FreePort {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $port
    }
}

AfterAll {
    Get-Job | Where-Object Name -like 'KafkaSync*' | Stop-Job -PassThru | Remove-Job -Force
    umount -l $disk
    $kafka | Stop-KafkaSyncEmbeddedCluster -Confirm:$false
}

Describe 'A source agent whose queue disk fills up' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'shows "paused: disk full" in Get-KafkaSyncStatus, keeps running, and resumes when the disk grows' {
        $queue = Join-Path $disk 'source'
        # 20,000 records of about 170 bytes: more than the 3 MiB disk takes beside the queue's 1 MiB reserve.
        $padding = 'x' * 150
        1..20000 | ForEach-Object { "k$($_ % 97):$padding$_" } | kcat -b $kafka.BootstrapServers -P -t orders -K :
        $LASTEXITCODE | Should -Be 0
        # No target listens: nothing leaves the queue, so the disk fills.
        $job = Start-KafkaSyncSource -Name full -BootstrapServers $kafka.BootstrapServers -Topic orders -QueuePath $queue -LinkTarget "127.0.0.1:$(Get-FreePort)" -LinkCredential $key -AsJob
        try {
            $status = Wait-Until { $s = Get-KafkaSyncStatus $queue -ErrorAction SilentlyContinue; if ($s.Note -like 'paused: disk full*') { $s } }
            $status.Note | Should -Match '^paused: disk full at .+, [\d,]+ bytes free; retrying$'
            $status.State | Should -Be 'Running'
            $status.RecordsIn | Should -BeLessThan 20000
            ($status | Format-Table | Out-String) | Should -Match 'paused: disk full'

            mount -o remount,size=64m tmpfs $disk
            $LASTEXITCODE | Should -Be 0
            $after = Wait-Until { $s = Get-KafkaSyncStatus $queue; if ($s.RecordsIn -eq 20000 -and $s.Note -notlike 'paused*') { $s } }
            $after.RecordsIn | Should -Be 20000
            $after.State | Should -Be 'Running'
        }
        finally {
            $job | Stop-Job
        }
        $summary = $job | Receive-Job
        $summary.State | Should -Be 'Stopped'
        $job | Remove-Job
    }
}
