# Dot-sourced by every test file in its BeforeAll: where the built module is, and a watchdog.
# A test that runs longer than its limit ends the file's pwsh process with a line naming the
# test, so one hung test fails its file instead of hanging the suite; ./build.sh test counts
# such a file as failed. Each top-level Describe arms it in BeforeEach and disarms it in AfterEach
# (Pester 5 allows no BeforeEach at the root of a file).
if (-not ('KafkaSyncTests.Watchdog' -as [type])) {
    Add-Type -TypeDefinition @'
namespace KafkaSyncTests
{
    public static class Watchdog
    {
        private static System.Threading.Timer timer;

        public static void Arm(string test, int seconds)
        {
            Disarm();
            timer = new System.Threading.Timer(_ =>
            {
                System.Console.Error.WriteLine("TIMEOUT: '" + test + "' ran longer than " + seconds + " s; its test file was stopped.");
                System.Console.Error.Flush();
                System.Diagnostics.Process.GetCurrentProcess().Kill();
            }, null, seconds * 1000, System.Threading.Timeout.Infinite);
        }

        public static void Disarm()
        {
            timer?.Dispose();
            timer = null;
        }
    }
}
'@
}

# Agents the tests start (and kill) register in a registry of this test file, inherited by the
# processes it starts, never in the user's own.
$env:KAFKASYNC_AGENT_REGISTRY = Join-Path ([IO.Path]::GetTempPath()) ("ks-agents-" + [Guid]::NewGuid().ToString('N'))

$script:TestTimeoutSeconds = if ($env:KAFKASYNC_TEST_TIMEOUT) { [int]$env:KAFKASYNC_TEST_TIMEOUT } else { 180 }
$script:ModuleManifest = Join-Path $PSScriptRoot '../../out/KafkaSync/KafkaSync.psd1'
$script:KafkasyncDll = Join-Path $PSScriptRoot '../../src/KafkaSync.Cli/bin/Release/net10.0/kafkasync.dll'
# The pwsh that runs the tests, for tests that need a process of their own (./build.sh sets it).
$script:Pwsh = if ($env:KAFKASYNC_PWSH) { $env:KAFKASYNC_PWSH } else { (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source }

function Start-TestWatchdog {
    $test = if ($____Pester.CurrentTest) { $____Pester.CurrentTest.ExpandedPath } else { 'a test' }
    [KafkaSyncTests.Watchdog]::Arm($test, $script:TestTimeoutSeconds)
}

function Stop-TestWatchdog { [KafkaSyncTests.Watchdog]::Disarm() }

# Waits until $Condition returns a true value or $TimeoutSeconds pass; returns the last value.
function Wait-Until([scriptblock] $Condition, [int] $TimeoutSeconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $value = & $Condition
        if ($value) { return $value }
        Start-Sleep -Milliseconds 100
    } while ([DateTime]::UtcNow -lt $deadline)
    return $value
}
