#!/usr/bin/env bash
# Remakes the figures and tables of the README's "Experiments" section from the current model (commune resolution):
# the comparison of the default with no-leap and with no-exports (20 runs each), the attribution (9 switches, 2 seeds,
# 1,026 runs of 1957-1961) and the Morris screening (4 trajectories). About 20 minutes on 2 idle cores.
#   bash scripts/experiment-figures.sh [OUT_DIR]        (SKIP_SENSITIVITY=1 leaves out the Morris screening, ~7 min)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/experiments}"
dotnet build src/LeapSim.Cli -c Release --nologo -v quiet
leapsim() { dotnet run --project src/LeapSim.Cli -c Release --no-build --no-launch-profile -- "$@"; }
leapsim compare default no-leap --runs 20 --out "$out/compare-no-leap"
leapsim compare default no-exports --runs 20 --out "$out/compare-no-exports"
time leapsim attribute --out "$out/attribution"
[ "${SKIP_SENSITIVITY:-0}" = 1 ] || time leapsim sensitivity --out "$out/sensitivity"
mkdir -p docs/img
cp "$out/attribution/attribution.png" docs/img/attribution.png
