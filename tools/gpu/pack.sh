#!/usr/bin/env bash
# Packs what tools/gpu/check.sh needs on a lent GPU machine, which has no .NET: the .NET runtime and the CLI without its
# native runtimes folder (libtorch alone is ~600 MB; there demag runs on cuFFT and the host's FFT is Math.NET's). Writes
# .gpukit/ (git-ignored), to carry with the device tool: run(carry: [".gpukit"], command: "bash tools/gpu/check.sh").
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/Operator.Cli -c Release -v quiet -nologo -clp:ErrorsOnly
root=$(dirname "$(readlink -f "$(command -v dotnet)")")
version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')
[ -n "$version" ] || { echo "pack: no Microsoft.NETCore.App runtime found under $root" >&2; exit 1; }
rm -rf .gpukit
mkdir -p .gpukit
tar -C "$root" -cJf .gpukit/dotnet.tar.xz dotnet host "shared/Microsoft.NETCore.App/$version"
tar -C src/Operator.Cli/bin/Release/net10.0 --exclude=./runtimes -cJf .gpukit/cli.tar.xz .
size_mib=$(( $(du -cb .gpukit/*.tar.xz | tail -1 | cut -f1) / 1048576 ))
echo "pack: .gpukit ${size_mib} MiB (runtime $version)"
[ "$size_mib" -lt 64 ] || { echo "pack: over the device tool's 64 MiB carry" >&2; exit 1; }
