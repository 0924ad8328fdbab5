# New-KafkaSyncFrameDictionary against a real queue filled through the engine.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) ('ks-pester-frames-' + [guid]::NewGuid().ToString('N'))
    $script:queuePath = Join-Path $script:dir 'queue'
    $options = [KafkaSync.Engine.Queue.DiskQueueOptions]@{ Path = $script:queuePath }
    $queue = [KafkaSync.Engine.Queue.DiskQueue]::Open($options)
    try {
        $payloads = [System.Collections.Generic.List[ReadOnlyMemory[byte]]]::new()
        foreach ($record in [KafkaSync.Engine.Benchmarks.EventGenerator]::new(1).TakeQueueRecords(2000, 1)) {
            $payloads.Add($record.Payload)
        }
        $none = [Threading.CancellationToken]::None
        $null = $queue.AppendBatchAsync($payloads, $none).AsTask().GetAwaiter().GetResult()
        $null = $queue.CommitAsync($none).AsTask().GetAwaiter().GetResult()
    }
    finally {
        $queue.Dispose()
    }
}

AfterAll {
    Remove-Item -Recurse -Force $script:dir -ErrorAction SilentlyContinue
}

Describe 'New-KafkaSyncFrameDictionary' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'writes a dictionary and returns its id and size' {
        $file = Join-Path $script:dir 'frames.zdict'
        $info = New-KafkaSyncFrameDictionary -QueuePath $script:queuePath -Path $file -Samples 1500 -MaxSize 16384
        $info.Id | Should -BeGreaterThan 0
        $info.Samples | Should -Be 1500
        (Get-Item $file).Length | Should -Be $info.Bytes
    }

    It 'writes nothing with -WhatIf' {
        $file = Join-Path $script:dir 'whatif.zdict'
        New-KafkaSyncFrameDictionary -QueuePath $script:queuePath -Path $file -WhatIf
        Test-Path $file | Should -BeFalse
    }

    It 'keeps an existing dictionary unless -Force is given' {
        $file = Join-Path $script:dir 'kept.zdict'
        $first = New-KafkaSyncFrameDictionary -QueuePath $script:queuePath -Path $file -Samples 1000 -MaxSize 8192
        $error = { New-KafkaSyncFrameDictionary -QueuePath $script:queuePath -Path $file -Samples 1500 -MaxSize 16384 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DictionaryExists,KafkaSync.PowerShell.Framing.NewKafkaSyncFrameDictionaryCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'ResourceExists'
        (Get-Item $file).Length | Should -Be $first.Bytes
        $second = New-KafkaSyncFrameDictionary -QueuePath $script:queuePath -Path $file -Samples 1500 -MaxSize 16384 -Force
        (Get-Item $file).Length | Should -Be $second.Bytes
        $second.Bytes | Should -Not -Be $first.Bytes
    }

    It 'reports a missing queue as TrainFailed' {
        $missing = Join-Path $script:dir 'nowhere'
        { New-KafkaSyncFrameDictionary -QueuePath $missing -Path (Join-Path $script:dir 'x.zdict') -ErrorAction Stop } |
            Should -Throw -ErrorId 'TrainFailed,KafkaSync.PowerShell.Framing.NewKafkaSyncFrameDictionaryCommand'
    }
}
