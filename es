#!/usr/bin/env bash
# EdgeSkyrmion entry point.
#   ./es demo [options]   the main job (see README)
#   ./es test             build and run every test; ends with "N passed, N failed"
#   ./es <command> ...    any operator CLI command, e.g. ./es data info --json
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

build() {
  dotnet build EdgeSkyrmion.sln -c Release -v quiet -nologo -clp:ErrorsOnly >&2
}

cli() {
  dotnet src/Cloud.Trainer/bin/Release/net10.0/edgeskyrmion.dll "$@"
}

case "${1:-}" in
  test)
    shift
    exec bash scripts/test.sh "$@"
    ;;
  demo)
    shift
    build
    cli demo "$@"
    ;;
  "" | -h | --help)
    build
    cli --help
    ;;
  *)
    [ "${ES_NO_BUILD:-}" = 1 ] || build
    cli "$@"
    ;;
esac
