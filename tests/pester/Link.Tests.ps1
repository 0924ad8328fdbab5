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

    It 'sends JSON records in field columns: fewer bytes than with frames.fieldColumns off, every record intact' {
        $root = Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid())
        $secret = ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force
        $credential = [pscredential]::new('link', $secret)
        # One source queue per run: a sender retires what its target acknowledged.
        $payloads = [System.Collections.Generic.List[ReadOnlyMemory[byte]]]::new()
        foreach ($record in [KafkaSync.Engine.Benchmarks.EventGenerator]::new(7).TakeQueueRecords(5000, 1)) { $payloads.Add($record.Payload) }
        foreach ($mode in 'on', 'off') {
            $source = [KafkaSync.Engine.Queue.DiskQueue]::Open([KafkaSync.Engine.Queue.DiskQueueOptions]@{ Path = "$root/source-$mode" })
            $none = [Threading.CancellationToken]::None
            $null = $source.AppendBatchAsync($payloads, $none).AsTask().GetAwaiter().GetResult()
            $null = $source.CommitAsync($none).AsTask().GetAwaiter().GetResult()
            $source.Dispose()
        }

        $frames = @{ on = '{ "targetFrameBytes": "1MiB" }'; off = '{ "targetFrameBytes": "1MiB", "fieldColumns": false }' }

        $sent = @{}
        foreach ($mode in 'on', 'off') {
            $port = Get-Random -Minimum 20000 -Maximum 60000
            $job = Start-ThreadJob {
                param($p, $c, $r, $m, $name)
                Import-Module $m
                Receive-KafkaSyncQueue -Path "$r/$name" -Listen "127.0.0.1:$p" -Credential $c -Create
            } -ArgumentList $port, $credential, $root, $ModuleManifest, $mode
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ([DateTime]::UtcNow -lt $deadline) {
                try { [Net.Sockets.TcpClient]::new('127.0.0.1', $port).Dispose(); break } catch { Start-Sleep -Milliseconds 50 }
            }
            Set-Content "$root/$mode.json" "{ `"target`": `"127.0.0.1:$port`", `"frames`": $($frames[$mode]) }"
            $sent[$mode] = Send-KafkaSyncQueue -Path "$root/source-$mode" -Credential $credential -ConfigPath "$root/$mode.json" -UntilCaughtUp
            $job | Stop-Job -PassThru | Remove-Job
        }

        $sent.on.AckedSeq | Should -Be 5000
        $sent.off.AckedSeq | Should -Be 5000
        $sent.on.WireBytes | Should -BeLessThan (0.95 * $sent.off.WireBytes)
        $line = { "$($_.Seq) $($_.Topic) $($_.Partition) $($_.Offset) $($_.Timestamp) $($_.Key) $($_.Value) $($_.Headers) $($_.Size)" }
        $expected = foreach ($record in [KafkaSync.Engine.Benchmarks.EventGenerator]::new(7).TakeQueueRecords(5000, 1)) {
            [KafkaSync.Engine.Queue.QueueRecordView]::From($record) | ForEach-Object $line
        }
        $expected.Count | Should -Be 5000
        foreach ($mode in 'on', 'off') {
            $arrived = Get-KafkaSyncQueueRecord -Path "$root/$mode" -Count 5000 | ForEach-Object $line
            Compare-Object $expected $arrived -SyncWindow 0 | Should -BeNullOrEmpty
        }
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'names the field when frames.fieldColumns is not true or false' {
        $root = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()))).FullName
        Set-Content "$root/bad.json" '{ "target": "127.0.0.1:9", "frames": { "fieldColumns": "maybe" } }'
        $secret = ConvertTo-SecureString 'a pre-shared key of decent length' -AsPlainText -Force
        { Send-KafkaSyncQueue -Path "$root/q" -ConfigPath "$root/bad.json" -Credential ([pscredential]::new('link', $secret)) -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*fieldColumns*'
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'New-KafkaSyncLinkKey' {
    BeforeEach { $root = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) ([Guid]::NewGuid()))).FullName }
    AfterEach { Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue }

    It 'writes a random key to a file only its owner can read, and never replaces one silently' {
        $file = New-KafkaSyncLinkKey -Path (Join-Path $root 'link.key')
        $file | Should -BeOfType ([IO.FileInfo])
        $file.UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        [Convert]::FromBase64String((Get-Content $file.FullName)).Length | Should -Be 32
        { New-KafkaSyncLinkKey -Path $file.FullName -ErrorAction Stop } |
            Should -Throw -ErrorId 'KeyFileFailed,KafkaSync.PowerShell.Link.NewKafkaSyncLinkKeyCommand' -ExpectedMessage '*already exists*'
        $before = Get-Content $file.FullName
        New-KafkaSyncLinkKey -Path $file.FullName -Force | Out-Null
        Get-Content $file.FullName | Should -Not -Be $before
    }

    It 'writes nothing with -WhatIf' {
        New-KafkaSyncLinkKey -Path (Join-Path $root 'link.key') -WhatIf
        Join-Path $root 'link.key' | Should -Not -Exist
    }

    It 'returns a credential the link cmdlets accept, while a weak one is refused with the way to make a good one' {
        $credential = New-KafkaSyncLinkKey -AsCredential
        $credential | Should -BeOfType ([pscredential])
        $credential.GetNetworkCredential().Password.Length | Should -Be 44
        $weak = [pscredential]::new('link', (ConvertTo-SecureString ('a' * 40) -AsPlainText -Force))
        { Receive-KafkaSyncQueue -Path "$root/target" -Listen '127.0.0.1:0' -Credential $weak -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*too easy to guess*New-KafkaSyncLinkKey*'
    }
}
