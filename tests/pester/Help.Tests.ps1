# Help for every exported cmdlet, as Get-Help shows it from the MAML the build generates from the
# cmdlets' XML doc comments, and the about_ topics. Fails when any cmdlet or parameter lacks help.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    # Discovery needs the names to make one test per cmdlet; the manifest decides what is exported.
    $cmdlets = (Get-Command -Module KafkaSync -CommandType Cmdlet).Name | Sort-Object
    $topics = 'about_KafkaSync', 'about_KafkaSync_Queue', 'about_KafkaSync_Sync', 'about_KafkaSync_Link', 'about_KafkaSync_Tsdb', 'about_KafkaSync_Troubleshooting'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $script:moduleBase = (Get-Module KafkaSync).ModuleBase
    $script:commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
    $script:exported = (Get-Command -Module KafkaSync -CommandType Cmdlet).Name

    # The paragraphs of a help field as one string (Get-Help gives an array of objects with Text).
    function Get-HelpText($Field) { (@($Field) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n" }
}

Describe 'The module''s help file' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'is generated into en-US beside the cmdlets assembly' {
        $file = Join-Path $moduleBase 'en-US/KafkaSync.PowerShell.dll-Help.xml'
        $file | Should -Exist
        ([xml](Get-Content $file -Raw)).helpItems.command.details.name | Sort-Object | Should -Be ($exported | Sort-Object)
    }
}

Describe 'Help for <_>' -ForEach $cmdlets {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    BeforeAll {
        $name = $_
        $help = Get-Help $name -Full
        $command = Get-Command $name
    }

    It 'comes from the help file, with a synopsis' {
        # Without a help file, Get-Help makes up a synopsis from the syntax.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$name*"
    }

    It 'has a description' {
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $documented = @{}
        foreach ($parameter in $help.parameters.parameter) { $documented[$parameter.name] = Get-HelpText $parameter.description }
        $missing = $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters -and -not $documented[$_] }
        $missing | Should -BeNullOrEmpty -Because 'every parameter needs a description'
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty
            (Get-HelpText $example.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs an explanation"
        }
    }

    It 'names its inputs and outputs' {
        @($help.inputTypes.inputType.type.name) | Should -Not -BeNullOrEmpty
        @($help.returnValues.returnValue.type.name) | Should -Not -BeNullOrEmpty
        foreach ($output in $command.OutputType | Where-Object Name -ne 'System.Void') { @($help.returnValues.returnValue.type.name) | Should -Contain $output.Name }
    }

    It 'has related links, each to a command or about_ topic of the module or to a web page' {
        $links = @($help.relatedLinks.navigationLink | Where-Object { $_ })
        $links.Count | Should -BeGreaterOrEqual 1
        foreach ($link in $links) {
            if ($link.uri) { $link.uri | Should -Match '^https?://' }
            elseif ($link.linkText -like 'about_*') { Get-Help $link.linkText | Should -Not -BeNullOrEmpty -Because "$($link.linkText) is linked" }
            else { $exported | Should -Contain $link.linkText }
        }
    }
}

Describe 'About topic <_>' -ForEach $topics {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It 'is found by Get-Help after import' {
        $text = Get-Help $_ | Out-String
        $text | Should -BeLike "*TOPIC*$_*SHORT DESCRIPTION*"
    }

    It 'points only to docs and about_ topics that ship in the module' {
        $text = Get-Content (Join-Path $moduleBase "en-US/$_.help.txt") -Raw
        foreach ($doc in [regex]::Matches($text, 'docs/[a-z]+\.md').Value) { Join-Path $moduleBase $doc | Should -Exist }
        foreach ($topic in [regex]::Matches($text, 'about_KafkaSync\w*').Value) { Join-Path $moduleBase "en-US/$topic.help.txt" | Should -Exist }
    }
}
