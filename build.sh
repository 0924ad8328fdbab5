#!/usr/bin/env bash
# KafkaSync build script for POSIX shells (PowerShell users: build.ps1 offers the same tasks).
#   ./build.sh demo    install what is missing, build, run the demo on embedded defaults
#   ./build.sh test    install what is missing, build, run every test
#   ./build.sh build   build and assemble the module into out/KafkaSync
#   ./build.sh bench   run the benchmarks (kafkasync bench …)
#   ./build.sh package build, then pack the module into out/package/KafkaSync.<version>.nupkg
#   ./build.sh setup   only install what the tests need
set -euo pipefail
cd "$(dirname "$0")"

# The module and the demo need only the .NET SDK (librdkafka and zstd ship inside the build).
# The tests also run real peers: kcat, InfluxDB, VictoriaMetrics, and ip/tc for link emulation;
# and real pwsh with Pester, both from NuGet.
APT_PACKAGES=(kcat influxdb victoria-metrics iproute2)
PWSH_VERSION=7.6.10
PESTER_VERSION=5.7.1
PWSH=out/tools/pwsh/pwsh
CONFIG=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

require_dotnet() {
  if ! command -v dotnet >/dev/null; then
    echo "build.sh: the .NET SDK 10 is required (https://dot.net); install it and run again." >&2
    exit 2
  fi
}

setup() {
  require_dotnet
  setup_apt
  setup_pwsh
}

setup_apt() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  if [[ -n "${missing// /}" ]]; then
    if [[ $(id -u) -eq 0 ]]; then
      echo "build.sh: installing $missing"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "build.sh: missing packages: $missing" >&2
      echo "build.sh: run: sudo apt-get install -y $missing" >&2
      exit 2
    fi
  fi
}

# pwsh as a dotnet tool under out/tools (the version named: the newest fails here), and Pester.
setup_pwsh() {
  if [[ ! -x $PWSH ]] || [[ $("$PWSH" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()') != "$PWSH_VERSION" ]]; then
    rm -rf out/tools/pwsh
    dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path out/tools/pwsh >/dev/null
  fi
  dotnet restore tests/pester/Pester.Restore.csproj -nologo -v quiet >/dev/null
  # The Pester tests are never optional: stop here, loudly, if either piece did not arrive.
  if [[ $("$PWSH" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()') != "$PWSH_VERSION" ]]; then
    echo "build.sh: pwsh $PWSH_VERSION did not install under out/tools/pwsh; the Pester tests cannot run" >&2
    exit 2
  fi
  if [[ ! -f $(pester_manifest) ]]; then
    echo "build.sh: Pester $PESTER_VERSION did not restore ($(pester_manifest) is missing); the Pester tests cannot run" >&2
    exit 2
  fi
}

pester_manifest() {
  local packages
  packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
  echo "${packages%/}/pester/$PESTER_VERSION/tools/Pester.psd1"
}

# The build also lays out the importable module in out/KafkaSync (see KafkaSync.PowerShell.csproj).
build() {
  dotnet build KafkaSync.sln -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly
}

# The module as a PSResourceGet package: Install-PSResource or Save-PSResource install it from a
# repository registered on the folder (Register-PSResourceRepository -Uri out/package).
package() {
  "$PWSH" -NoProfile -NonInteractive -File tools/New-ModulePackage.ps1 -ModulePath out/KafkaSync -DestinationPath out/package
}

kafkasync() {
  dotnet src/KafkaSync.Cli/bin/"$CONFIG"/net10.0/kafkasync.dll "$@"
}

run_tests() {
  local results=out/test-results
  rm -rf "$results"
  local status codes
  # dotnet test's own exit code, whatever grep finds: after "|| true" PIPESTATUS would be true's.
  set +e
  dotnet test KafkaSync.sln -c "$CONFIG" --no-build -nologo \
    --logger "console;verbosity=normal" --logger trx --results-directory "$results" \
    --blame-hang-timeout 10m \
    -- RunConfiguration.MaxCpuCount=1 2>&1 | tee out/test.log | grep -E "^\s+(Failed|Skipped) |Passed!|Failed!|error [A-Z]+[0-9]+:"
  codes=("${PIPESTATUS[@]}")
  set -e
  status=${codes[0]}
  print_failures out/test.log
  run_pester
  summarize "$results" "$status"
}

# Each failed test's message and stack, so a failure on a build machine can be read from its log.
print_failures() {
  awk '/^  Failed [^!]/ { show = 1; lines = 0 } /^  (Passed|Skipped) / { show = 0 } show && lines++ < 60' "$1"
}

# Each test file in its own pwsh: a test that outlives its watchdog (tests/pester/Watchdog.ps1)
# ends that file only, and the file counts as failed.
run_pester() {
  local manifest counts=out/pester f name
  manifest=$(pester_manifest)
  rm -rf "$counts" && mkdir -p "$counts"
  for f in tests/pester/*.Tests.ps1; do
    name=$(basename "$f" .Tests.ps1)
    KAFKASYNC_PWSH=$PWD/$PWSH timeout --kill-after=10 1200 "$PWSH" -NoProfile -NonInteractive -File tests/pester/Invoke-PesterFile.ps1 \
      -Path "$f" -PesterManifest "$manifest" -CountsPath "$counts/$name.json" </dev/null || true
    if [[ ! -s $counts/$name.json ]]; then
      echo "pester: $f did not finish (a test hung or pwsh crashed); counted as 1 failed"
      echo '{"passed":0,"failed":1,"skipped":0}' >"$counts/$name.json"
    fi
  done
}

# "passed", "failed" or "skipped" summed over the Pester files' counts.
pester_count() {
  local key=$1 total=0 f n
  for f in out/pester/*.json; do
    [[ -e "$f" ]] || continue
    n=$(grep -o "\"$key\":[0-9]*" "$f" | cut -d: -f2)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# One closing line over every test project: "tests: N passed, N failed, N skipped".
summarize() {
  local dir=$1 status=$2 passed=0 failed=0 skipped=0 f
  for f in "$dir"/*.trx; do
    [[ -e "$f" ]] || continue
    local counters
    counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")))
  done
  echo "xunit: $passed passed, $failed failed, $skipped skipped"
  # Named again here, beside the totals, so a log whose head was cut still says which test failed.
  cat "$dir"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*outcome="Failed"' |
    sed -E 's/.* testName="([^"]*)".*/xunit failed: \1/' || true
  local pester_passed pester_failed pester_skipped
  pester_passed=$(pester_count passed) pester_failed=$(pester_count failed) pester_skipped=$(pester_count skipped)
  echo "pester: $pester_passed passed, $pester_failed failed, $pester_skipped skipped"
  cat out/pester/*.failed 2>/dev/null | sed -E '/^$/d; s/^/pester failed: /' || true
  passed=$((passed + pester_passed)) failed=$((failed + pester_failed)) skipped=$((skipped + pester_skipped))
  # The module is the product: a run in which no Pester test passed, or any was skipped, did not
  # test it.
  local pester_files pester_counted
  pester_files=$(find tests/pester -maxdepth 1 -name '*.Tests.ps1' | wc -l)
  pester_counted=$( (find out/pester -maxdepth 1 -name '*.json' 2>/dev/null || true) | wc -l)
  if [[ $pester_counted -ne $pester_files ]]; then
    echo "pester: $pester_counted of $pester_files test files were counted; every file must run, so the test run fails" >&2
    failed=$((failed + 1))
  fi
  if [[ $pester_passed -eq 0 ]]; then
    echo "pester: no Pester test ran; the test run fails (pwsh or Pester missing, or tests/pester empty)" >&2
    failed=$((failed + 1))
  fi
  if [[ $pester_skipped -ne 0 ]]; then
    echo "pester: $pester_skipped test(s) skipped or not run; every Pester test must run, so the test run fails" >&2
    failed=$((failed + 1))
  fi
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then exit 1; fi
}

task=${1:-build}
shift || true
case "$task" in
  setup) setup ;;
  build) require_dotnet; build ;;
  demo)  require_dotnet; build; kafkasync demo "$@" ;;
  test)  setup; build; mkdir -p out; run_tests ;;
  bench) setup_apt; build; kafkasync bench "${@:-all}" ;;
  package) require_dotnet; setup_pwsh; build; package ;;
  *) echo "usage: ./build.sh [setup|build|demo|test|bench|package]" >&2; exit 2 ;;
esac
