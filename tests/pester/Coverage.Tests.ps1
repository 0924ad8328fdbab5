# Every exported cmdlet is run by some Pester test, and at least one test asserts the full error id
# it reports for bad input (its FullyQualifiedErrorId ends in the cmdlet's class name).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module $ModuleManifest -Force
    $tests = Get-ChildItem $PSScriptRoot -Filter *.Tests.ps1 | Where-Object Name -ne 'Coverage.Tests.ps1'
    $script:testText = ($tests | Get-Content -Raw) -join "`n"
}

Describe 'Pester coverage of the exported cmdlets' {
    BeforeEach { Start-TestWatchdog }
    AfterEach { Stop-TestWatchdog }

    It '<_> is run by a test' -ForEach ((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../KafkaSync.psd1')).CmdletsToExport) {
        $testText | Should -Match ('(?m)^(?!\s*#).*\b' + [regex]::Escape($_) + '\b')
    }

    It '<_> has a test of its error id for bad input' -ForEach ((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../KafkaSync.psd1')).CmdletsToExport) {
        $type = (Get-Command $_).ImplementingType.FullName
        $testText | Should -Match ("['""][A-Za-z]+," + [regex]::Escape($type) + "['""]")
    }
}
