#!/usr/bin/env bash
# Builds the solution and runs every test project, printing each test as it finishes (progress instead of
# minutes of silence); ends with the totals as one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# The console's browser tests drive Debian's own chromium (never a downloaded browser); install it when missing.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "installing chromium for the console's browser tests..." >&2
  (apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1; }) \
    || echo "warning: apt-get install chromium failed; the console's browser tests will say so" >&2
fi
# The fleet database tests start a throwaway PostgreSQL 15 of their own (ThrowawayPostgres); install it when missing.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && [ "$(id -u)" -eq 0 ]; then
  echo "installing postgresql for the fleet database tests..." >&2
  (DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null 2>&1; }) \
    || echo "warning: apt-get install postgresql failed; the fleet database tests on PostgreSQL will say so" >&2
fi
log=$(mktemp)
dotnet test EdgeSkyrmion.sln -c Release --blame-hang-timeout 10m --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# vstest ends each test assembly with a block "Total tests: 204 / Passed: 187 / Failed: 17 / Skipped: 0" (the
# Failed and Skipped lines only when non-zero) at normal verbosity.
count() { awk -v k="$1" '$1 == k":" && NF == 2 && $2 ~ /^[0-9]+$/ {s+=$2} END{print s+0}' "$log"; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$status" -ne 0 ] || [ "${failed:-0}" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
