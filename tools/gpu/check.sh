#!/usr/bin/env bash
# On a lent GPU machine, from the repository root with .gpukit carried (tools/gpu/pack.sh): the GPU measurements issue
# #17 still lacks, each command's output in $OUT/NAME.txt (out/gpu without $OUT) ending with its exit code and wall
# time. `quick` runs every command at toy sizes (a check of this script, on any machine; without CUDA ILGPU falls back to
# its CPU accelerator). A command that fails does not stop the others; all of them share one budget of
# ${GPU_CHECK_SECONDS:-540} s (the device tool's call may run 600), the most wanted first, so a slow one cuts the last.
set -uo pipefail
budget_end=$(( $(date +%s) + ${GPU_CHECK_SECONDS:-540} ))
quick=${1:-}
kit=$(mktemp -d)
tar -C "$kit" -xJf .gpukit/dotnet.tar.xz
mkdir "$kit/cli"
tar -C "$kit/cli" -xJf .gpukit/cli.tar.xz
export DOTNET_ROOT=$kit DOTNET_CLI_TELEMETRY_OPTOUT=1
# ILGPU.Algorithms loads libcufft.so.10–12 by name: the CUDA toolkit's library folder, where there is one.
for lib in /usr/local/cuda*/targets/x86_64-linux/lib /usr/local/cuda/lib64; do
    if compgen -G "$lib/libcufft.so*" > /dev/null; then export LD_LIBRARY_PATH=$lib:${LD_LIBRARY_PATH:-}; break; fi
done
out=${OUT:-out/gpu}
mkdir -p "$out"
command -v nvidia-smi > /dev/null && nvidia-smi > "$out/nvidia-smi.txt" 2>&1

# es NAME SECONDS ARGS…: the CLI with a time limit (cut to what is left of the budget), its output in $out/NAME.txt.
es() {
    local name=$1 limit=$2
    shift 2
    local left=$(( budget_end - $(date +%s) ))
    if [ "$left" -lt 20 ]; then
        echo "### edgeskyrmion $* skipped: ${left} s of the budget left" | tee "$out/$name.txt"
        return
    fi
    [ "$limit" -le "$left" ] || limit=$left
    local start
    start=$(date +%s%N)
    timeout "$limit" "$kit/dotnet" "$kit/cli/edgeskyrmion.dll" "$@" > "$out/$name.txt" 2>&1
    local rc=$?
    echo "### edgeskyrmion $* rc=$rc wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))" | tee -a "$out/$name.txt"
}

if [ "$quick" = quick ]; then
    es agree 120 device mm agree --backend ilgpu --nx 16 --ny 12 --steps 2 --fft mathnet --json
    es sp4 120 device mm run --problem sp4 --cell-nm 31.25 --backend ilgpu --fft mathnet --json
    es bench-paper-32 120 device mm bench --backend ilgpu --fft mathnet --nx 32 --ny 32 --steps 1 --json
    es bench-mumax3-32 120 device mm bench --backend ilgpu --fft mathnet --film mumax3 --nx 32 --ny 32 --steps 2 --json
    es track-estimate 120 device mm track --mml 4 --cell-nm 8 --pulses 1 --backend ilgpu --fft mathnet --estimate-only
    es track-300k-estimate 120 device mm track --mml 4 --cell-nm 8 --pulses 1 --temperature 300 --backend ilgpu --fft mathnet --estimate-only
    es derive 300 device derive --mml 1 --cell-nm 4 --box-nm 64 --drive-ma-cm2 30 --backend ilgpu --fft mathnet --json --out "$out/derived.json"
    exit 0
fi
# The device-resident RK45 against the C# path on the paper film with every term (demag on cuFFT).
es agree 120 device mm agree --backend ilgpu --nx 256 --ny 256 --steps 4 --fft mathnet --json
# Every standard problem on the device path, each held to its bound: the demag factors, µMAG 3's crossing, µMAG 4 against magnum.np and
# mumax3 (m on the device, demag on cuFFT), the DMI disk and chain by the device's minimizer (C# path here: 10 of 10, 19 s).
es validate 180 device mm validate --backend ilgpu --fft mathnet --json
# Speed: RK45 with m on the device (paper film) and Heun with m on the device (mumax3's film), beside mumax3's figures.
for n in 256 512 1024; do
    es "bench-paper-$n" 120 device mm bench --backend ilgpu --fft mathnet --nx "$n" --ny "$n" --steps 20 --json
    es "bench-mumax3-$n" 120 device mm bench --backend ilgpu --fft mathnet --film mumax3 --nx "$n" --ny "$n" --steps 100 --json
done
# The estimate against the run it estimates (the 4 nm track at the paper's drive; on the GPU with host integrators: 49 s).
es track-estimate 120 device mm track --mml 4 --cell-nm 4 --pulses 3 --current-ma-cm2 30 --backend ilgpu --fft mathnet --estimate-only
es track-4nm 240 device mm track --mml 4 --cell-nm 4 --pulses 3 --current-ma-cm2 30 --backend ilgpu --fft mathnet --json --csv "$out/track-mml4-cell4nm.csv"
# At 300 K, Heun with m and the thermal field on the device: the estimate (on this 2-core CPU 197 s for a 183 s run).
es track-300k-estimate 60 device mm track --mml 4 --cell-nm 4 --pulses 1 --temperature 300 --current-ma-cm2 30 --backend ilgpu --fft mathnet --estimate-only
# The derivation on the GPU (the minimizer's iterations and RK45 with m on the device): isolated skyrmions, then n = 4 driven.
es derive 240 device derive --mml 1 2 4 --backend ilgpu --fft mathnet --json --out "$out/derived-gpu.json"
es derive-drive 240 device derive --mml 4 --drive-ma-cm2 30 --backend ilgpu --fft mathnet --json --out "$out/derived-gpu-drive.json"
