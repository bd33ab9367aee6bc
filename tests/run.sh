#!/usr/bin/env bash
# Runs every test in the solution. Installs what the tests need when it is missing, so a fresh clone needs no
# manual step. Prints one closing line, "N passed, N failed", summed over every test project.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dot.net/download" >&2
  exit 1
fi

# The Redis tests run against a real redis-server on a loopback port (Debian's package).
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (the Redis tests need a real server)..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

# The web page's browser tests drive Debian's chromium through Playwright's node driver, which ships in the
# Microsoft.Playwright package (no `playwright install`).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (the web page's browser tests need a real browser)..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
# Built once in parallel, then one test project at a time: the suites that start real servers, bot processes and
# sockets keep timing margins that two projects racing for the same 2 cores would eat. A test still running after
# 10 minutes is hung (no whole project takes more than one): its project is stopped and the run fails, naming the test.
{ dotnet build Bot.sln --nologo -v q && dotnet test Bot.sln --nologo --no-build -m:1 --blame-hang-timeout 10m --blame-hang-dump-type none "$@"; } 2>&1 | tee "$log" || status=$?

# Each test project prints e.g. "Passed!  - Failed:     0, Passed:    67, Skipped:     0, Total:    67".
summary=$(grep -E '(Passed|Failed)!  - Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}')
echo
echo "$summary"
if [ "$status" -eq 0 ] && [[ "$summary" == "0 passed"* ]]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
