# How the cmdlets take their inputs: paths (wildcards, -LiteralPath, pipeline, providers),
# credentials, settings as hashtables and data files, URLs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:root = Join-Path ([IO.Path]::GetTempPath()) ("ks-pester-params-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $root | Out-Null
    foreach ($name in 'queue-a', 'queue-b', 'odd[1]') {
        dotnet $KafkasyncDll queue demo --path (Join-Path $root $name) --records 100 | Out-Null
        if ($LASTEXITCODE) { throw "kafkasync queue demo failed for $name" }
    }
}
AfterAll { Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'Queue folder paths' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'expands wildcards in -Path' {
        (Get-KafkaSyncQueue -Path (Join-Path $root 'queue-*')).Path | Sort-Object |
            Should -Be @((Join-Path $root 'queue-a'), (Join-Path $root 'queue-b'))
    }

    It 'takes -LiteralPath as written, brackets and all' {
        (Get-KafkaSyncQueue -LiteralPath (Join-Path $root 'odd[1]')).LastSeq | Should -Be 100
    }

    It 'takes Get-Item output from the pipeline' {
        (Get-Item -LiteralPath (Join-Path $root 'odd[1]') | Get-KafkaSyncQueue).LastSeq | Should -Be 100
    }

    It 'takes an agent status object from the pipeline by its QueuePath' {
        $status = [KafkaSync.Engine.Sync.AgentStatus]@{ Role = 'source'; Name = 'a'; QueuePath = (Join-Path $root 'queue-a') }
        ($status | Get-KafkaSyncQueue).Path | Should -Be (Join-Path $root 'queue-a')
    }

    It 'resolves a relative path against the current location' {
        Push-Location $root
        try { (Get-KafkaSyncQueue -Path queue-b).Path | Should -Be (Join-Path $root 'queue-b') }
        finally { Pop-Location }
    }

    It 'writes PathNotFound when a wildcard matches nothing' {
        { Get-KafkaSyncQueue -Path (Join-Path $root 'nothing-*') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PathNotFound,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueCommand'
    }

    It 'refuses a path on another provider instead of using it as a folder name' {
        $error = { Get-KafkaSyncQueue -Path 'Env:PATH' -ErrorAction Stop } | Should -Throw -ErrorId 'NotAFileSystemPath,KafkaSync.PowerShell.Queue.GetKafkaSyncQueueCommand' -PassThru
        $error.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $error.Exception.Message | Should -BeLike '*Environment provider*'
        Test-Path (Join-Path (Get-Location).ProviderPath 'Env:PATH') | Should -BeFalse
    }
}

Describe 'Credentials' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'prompts for <Parameter> of <Command> when given a user name only' -TestCases @(
        @{ Command = 'Start-KafkaSyncSource'; Parameter = 'LinkCredential' }
        @{ Command = 'Start-KafkaSyncSource'; Parameter = 'SaslCredential' }
        @{ Command = 'Start-KafkaSyncTarget'; Parameter = 'LinkCredential' }
        @{ Command = 'Send-KafkaSyncQueue'; Parameter = 'Credential' }
        @{ Command = 'Receive-KafkaSyncQueue'; Parameter = 'Credential' }
        @{ Command = 'Start-KafkaSyncTsdbCluster'; Parameter = 'Credential' }
    ) {
        # [Credential] is what turns a plain user name into a prompt for the password.
        (Get-Command $Command).Parameters[$Parameter].Attributes |
            Where-Object { $_ -is [System.Management.Automation.CredentialAttribute] } | Should -Not -BeNullOrEmpty
    }
}

Describe 'Settings as hashtables and data files' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'Start-KafkaSyncTsdbCluster -Config takes a hashtable and names a bad field' {
        $config = @{ nodes = @(@{ name = 'a'; url = 'http://127.0.0.1:1' }); kafka = @{ bootstrapServers = '127.0.0.1:1'; topic = 't' }; connector = @{ writers = 0 } }
        { Start-KafkaSyncTsdbCluster -Config $config -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidConfig,KafkaSync.PowerShell.Tsdb.StartKafkaSyncTsdbClusterCommand' -ExpectedMessage '*connector.writers*'
    }

    It 'Start-KafkaSyncTsdbCluster -Config refuses a hashtable with an unknown field' {
        { Start-KafkaSyncTsdbCluster -Config @{ nodez = @() } -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,KafkaSync.PowerShell.Tsdb.StartKafkaSyncTsdbClusterCommand' -ExpectedMessage '*nodez*'
    }

    It 'reads a .psd1 config as data and names its bad field' {
        $file = Join-Path $root 'source.psd1'
        "@{ name = 'psd1'; kafka = @{ bootstrapServers = '127.0.0.1:1' }; topics = @{ names = @('t') }; bogus = 1 }" | Set-Content $file
        { Start-KafkaSyncSource -ConfigPath $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncSourceCommand' -ExpectedMessage '*bogus*'
    }

    It 'never runs code in a .psd1 config' {
        $file = Join-Path $root 'evil.psd1'
        $marker = Join-Path $root 'ran'
        "@{ name = `$(New-Item '$marker') }" | Set-Content $file
        { Start-KafkaSyncSource -ConfigPath $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentOptions,KafkaSync.PowerShell.Sync.StartKafkaSyncSourceCommand' -ExpectedMessage '*constant values*'
        $marker | Should -Not -Exist
    }
}

Describe 'Status URLs' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It '<Command> says a malformed -Url is not a URL, not that it cannot connect' -TestCases @(
        @{ Command = 'Get-KafkaSyncTsdbNode'; Id = 'ParameterArgumentValidationError,KafkaSync.PowerShell.Tsdb.GetKafkaSyncTsdbNodeCommand' }
        @{ Command = 'Get-KafkaSyncTsdbTimeline'; Id = 'ParameterArgumentValidationError,KafkaSync.PowerShell.Tsdb.GetKafkaSyncTsdbTimelineCommand' }
        @{ Command = 'Start-KafkaSyncTsdbBalancer'; Id = 'ParameterArgumentValidationError,KafkaSync.PowerShell.Tsdb.StartKafkaSyncTsdbBalancerCommand'; Parameter = 'MonitorUrl' }
    ) {
        $arguments = @{ ($Parameter ?? 'Url') = 'not a url' }
        if ($Command -eq 'Start-KafkaSyncTsdbBalancer') { $arguments.ConfigPath = 'unused.json' }
        $error = { & $Command @arguments -ErrorAction Stop } | Should -Throw -ErrorId $Id -PassThru
        $error.Exception.Message | Should -BeLike '*not an http:// or https:// URL*'
    }
}
