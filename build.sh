#!/usr/bin/env bash
# KafkaSync build script for POSIX shells (PowerShell users: build.ps1 offers the same tasks).
#   ./build.sh demo    install what is missing, build, run the demo on embedded defaults
#   ./build.sh test    install what is missing, build, run every test
#   ./build.sh build   build and assemble the module into out/KafkaSync
#   ./build.sh bench   run the benchmarks (kafkasync bench …)
#   ./build.sh setup   only install what is missing
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(librdkafka1 libzstd1 kcat influxdb victoria-metrics iproute2)
CONFIG=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing_packages() {
  local p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

setup() {
  if ! command -v dotnet >/dev/null; then
    echo "build.sh: the .NET SDK 10 is required (https://dot.net); install it and run again." >&2
    exit 2
  fi
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

build() {
  dotnet build KafkaSync.sln -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly
  assemble_module
}

# The importable module: manifest, assemblies, format views and help in one folder.
assemble_module() {
  local dest=out/KafkaSync
  rm -rf "$dest" && mkdir -p "$dest"
  cp -r src/KafkaSync.PowerShell/bin/"$CONFIG"/net8.0/. "$dest"/
  cp KafkaSync.psd1 "$dest"/
  cp module/*.ps1xml "$dest"/ 2>/dev/null || true
  cp -r module/en-US module/examples module/schemas "$dest"/
}

kafkasync() {
  dotnet src/KafkaSync.Cli/bin/"$CONFIG"/net10.0/kafkasync.dll "$@"
}

run_tests() {
  local results=out/test-results
  rm -rf "$results"
  local status=0
  dotnet test KafkaSync.sln -c "$CONFIG" --no-build -nologo \
    --logger "console;verbosity=normal" --logger trx --results-directory "$results" \
    --blame-hang-timeout 10m \
    -- RunConfiguration.MaxCpuCount=1 2>&1 | tee out/test.log | grep -E "^\s+(Failed|Skipped) |Passed!|Failed!|error [A-Z]+[0-9]+:" || true
  status=${PIPESTATUS[0]}
  print_failures out/test.log
  run_pester
  summarize "$results" "$status"
}

# Each failed test's message and stack, so a failure on a build machine can be read from its log.
print_failures() {
  awk '/^  Failed [^!]/ { show = 1; lines = 0 } /^  (Passed|Skipped) / { show = 0 } show && lines++ < 60' "$1"
}

run_pester() {
  if command -v pwsh >/dev/null && pwsh -NoProfile -Command "if (-not (Get-Module -ListAvailable Pester)) { exit 1 }"; then
    pwsh -NoProfile -Command "Invoke-Pester -Path tests/pester -CI" || PESTER_FAILED=1
  else
    echo "pester: SKIPPED — pwsh with Pester is not installed here; tests/pester was not run."
  fi
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
  if [[ ${PESTER_FAILED:-0} -eq 1 ]]; then failed=$((failed + 1)); fi
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  if [[ $status -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then exit 1; fi
}

task=${1:-build}
shift || true
case "$task" in
  setup) setup ;;
  build) setup; build ;;
  demo)  setup; build; kafkasync demo "$@" ;;
  test)  setup; build; mkdir -p out; run_tests ;;
  bench) setup; build; kafkasync bench "${@:-all}" ;;
  *) echo "usage: ./build.sh [setup|build|demo|test|bench]" >&2; exit 2 ;;
esac
