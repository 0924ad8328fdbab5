# The queue cmdlets against queues written by the engine. ./build.sh test runs every file here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $kafkasync = $KafkasyncDll
}

Describe 'Get-KafkaSyncQueue' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    BeforeAll {
        $queue = Join-Path ([IO.Path]::GetTempPath()) ("ksq-pester-" + [guid]::NewGuid().ToString('N'))
        dotnet $kafkasync queue demo --path $queue --records 1000 | Out-Null
    }
    AfterAll { Remove-Item $queue -Recurse -Force -ErrorAction SilentlyContinue }

    It 'returns a typed object with seqs, cursors, pending work and health' {
        $info = Get-KafkaSyncQueue -Path $queue
        $info | Should -BeOfType ([KafkaSync.Engine.Queue.QueueInfo])
        $info.LastSeq | Should -Be 1000
        $info.Health | Should -Be 'Healthy'
        $info.Cursors.Name | Should -Contain 'demo-follower'
    }

    It 'takes paths from the pipeline' {
        (Get-Item $queue | Get-KafkaSyncQueue).Path | Should -Be (Get-Item $queue).FullName
    }

    It 'writes an error naming a missing folder' {
        $missing = Join-Path $queue 'missing'
        { Get-KafkaSyncQueue -Path $missing -ErrorAction Stop } |
            Should -Throw -ErrorId 'InspectFailed,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueCommand' -ExpectedMessage '*does not exist*'
    }

    It 'writes an error for a folder that is no queue' {
        { Get-KafkaSyncQueue -Path $PSScriptRoot -ErrorAction Stop } |
            Should -Throw -ErrorId 'InspectFailed,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueCommand' -ExpectedMessage '*is not a KafkaSync queue*'
    }
}

Describe 'Get-KafkaSyncQueueRecord' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    BeforeAll {
        $queue = Join-Path ([IO.Path]::GetTempPath()) ("ksq-pester-" + [guid]::NewGuid().ToString('N'))
        dotnet $kafkasync queue demo --path $queue --records 1000 | Out-Null
    }
    AfterAll { Remove-Item $queue -Recurse -Force -ErrorAction SilentlyContinue }

    It 'decodes Kafka records from a seq' {
        $records = Get-KafkaSyncQueueRecord -Path $queue -From 999 -Count 5
        $records.Seq | Should -Be @(999, 1000)
        $records[0].Topic | Should -Be 'orders'
    }

    It 'rejects a count of <Count>' -TestCases @(@{ Count = 0 }, @{ Count = 100001 }) {
        { Get-KafkaSyncQueueRecord -Path $queue -Count $Count } | Should -Throw -ErrorId 'ParameterArgumentValidationError,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueRecordCommand'
    }

    It 'rejects a from that is not a number' {
        { Get-KafkaSyncQueueRecord -Path $queue -From 'ten' } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueRecordCommand'
    }
}

Describe 'Repair-KafkaSyncQueue' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    BeforeAll {
        $queue = Join-Path ([IO.Path]::GetTempPath()) ("ksq-pester-" + [guid]::NewGuid().ToString('N'))
        dotnet $kafkasync queue demo --path $queue --records 1000 | Out-Null
    }
    AfterAll { Remove-Item $queue -Recurse -Force -ErrorAction SilentlyContinue }

    It 'reports a folder that is no queue' {
        $missing = Join-Path $queue 'missing'
        $error = { Repair-KafkaSyncQueue -Path $missing -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'RepairFailed,KafkaSync.PowerShell.Queue.RepairKafkaSyncQueueCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'reports a healthy queue without changing it' {
        (Repair-KafkaSyncQueue -Path $queue -Confirm:$false).Healthy | Should -BeTrue
    }

    It 'with -WhatIf only reports damage and moves nothing' {
        $segment = Get-ChildItem $queue -Filter *.seg | Sort-Object Name | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($segment.FullName)
        $bytes[40] = $bytes[40] -bxor 0xFF
        [IO.File]::WriteAllBytes($segment.FullName, $bytes)
        $result = Repair-KafkaSyncQueue -Path $queue -WhatIf
        $result.Healthy | Should -BeFalse
        Test-Path (Join-Path $queue 'quarantine') | Should -BeFalse
    }

    It 'quarantines the damaged segment when confirmed' {
        $result = Repair-KafkaSyncQueue -Path $queue -Confirm:$false
        $result.Quarantined.Count | Should -Be 1
        Test-Path $result.Quarantined[0] | Should -BeTrue
        (Get-KafkaSyncQueue -Path $queue).Health | Should -Be 'Healthy'
    }
}
