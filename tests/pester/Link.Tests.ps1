# Pester tests for the link cmdlets (the engine behaviour is tested in xunit).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Send-KafkaSyncQueue' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'refuses to run without a key source' {
        $queue = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        { Send-KafkaSyncQueue -Path $queue -Target '127.0.0.1:9' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLinkOptions,KafkaSync.PowerShell.Link.SendKafkaSyncQueueCommand'
    }

    It 'Receive-KafkaSyncQueue refuses to run without a key source' {
        $queue = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        $error = { Receive-KafkaSyncQueue -Path $queue -Listen '127.0.0.1:0' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidLinkOptions,KafkaSync.PowerShell.Link.ReceiveKafkaSyncQueueCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $queue | Should -Not -Exist
    }

    It 'moves a queue to a receiver with the key from a credential' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        $secret = ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force
        $credential = [pscredential]::new('link', $secret)
        $source = [KafkaSync.Engine.Queue.DiskQueue]::Open([KafkaSync.Engine.Queue.DiskQueueOptions]@{ Path = "$root/source" })
        [void]$source.TryAppend([byte[]](1, 2, 3), [ref]0)
        [void]$source.CommitAsync([Threading.CancellationToken]::None).AsTask().GetAwaiter().GetResult()
        $source.Dispose()
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $job = Start-ThreadJob {
            param($p, $c, $r, $m)
            Import-Module $m
            Receive-KafkaSyncQueue -Path "$r/target" -Listen "127.0.0.1:$p" -Credential $c -Create
        } -ArgumentList $port, $credential, $root, $ModuleManifest
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ([DateTime]::UtcNow -lt $deadline) {
            try { [Net.Sockets.TcpClient]::new('127.0.0.1', $port).Dispose(); break } catch { Start-Sleep -Milliseconds 50 }
        }
        $status = Send-KafkaSyncQueue -Path "$root/source" -Target "127.0.0.1:$port" -Credential $credential -UntilCaughtUp
        $status.AckedSeq | Should -Be 1
        $job | Stop-Job -PassThru | Remove-Job
    }
}
