#!/usr/bin/env bash
# EdgeSkyrmion entry point, runnable from any folder (relative paths resolve against the folder you stand in).
#   ./es demo [options]        the main job (see README)
#   ./es test                  build and run every test; ends with "N passed, N failed, N skipped"
#   ./es serve [options]       the fleet server (fleet-server)
#   ./es demo|personalize|chaos|fuzz|loadtest|bench-console|bench-db|bench-build ...   demos and harnesses (es-harness)
#   ./es <command> ...         any operator CLI command, e.g. ./es data info --json (edgeskyrmion)
# It builds only when a source file is newer than the last build, and then quietly (errors only).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
stamp="$root/artifacts/es-build.stamp"

build() {
  [ "${ES_NO_BUILD:-}" = 1 ] && return 0
  if [ -f "$stamp" ] && [ -z "$(cd "$root" && find src tools build Directory.Build.props Directory.Build.targets Directory.Packages.props EdgeSkyrmion.sln \
       -newer "$stamp" -type f \( -name '*.cs' -o -name '*.cshtml' -o -name '*.css' -o -name '*.js' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.proto' -o -name '*.json' -o -name '*.sln' \) \
       -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]; then
    return 0
  fi
  echo "building (sources changed since the last build)..." >&2
  local log
  log=$(mktemp)
  if ! dotnet build "$root/EdgeSkyrmion.sln" -c Release -v quiet -nologo -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 2
  fi
  rm -f "$log"
  mkdir -p "$root/artifacts" && touch "$stamp"
}

program() {
  case "$1" in
    serve) echo "$root/src/Cloud.Fleet/bin/Release/net10.0/fleet-server.dll" ;;
    demo | personalize | chaos | fuzz | loadtest | loadgen | bench-console | bench-db | bench-build) echo "$root/tools/harness/bin/Release/net10.0/es-harness.dll" ;;
    *) echo "$root/src/Operator.Cli/bin/Release/net10.0/edgeskyrmion.dll" ;;
  esac
}

case "${1:-}" in
  test)
    shift
    exec bash "$root/scripts/test.sh" "$@"
    ;;
  "" | -h | --help)
    build
    dotnet "$(program cli)" --help
    echo "Also: ./es serve (fleet server), ./es demo | personalize demo | chaos | fuzz | loadtest (demos and harnesses), ./es bench-console (console at fleet scale), ./es bench-db (fleet database, SQLite or PostgreSQL), ./es bench-build (building one device's update on the paper's network), ./es test."
    ;;
  *)
    build
    exec dotnet "$(program "$1")" "$@"
    ;;
esac
