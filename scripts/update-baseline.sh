#!/usr/bin/env bash
# Regenerates tests/baseline/national_small.csv, the numerical baseline that BaselineTests compares against
# (seed 1, Anhui, Sichuan and Shanghai, province resolution, 1957-1966, default scenario).
# Moving the baseline is deliberate: the commit that changes the file must say why in its message.
set -euo pipefail
cd "$(dirname "$0")/.."
LEAPSIM_UPDATE_BASELINE=1 dotnet test tests/LeapSim.Tests --filter "FullyQualifiedName~Reliability.BaselineTests" "$@"
if git diff --quiet -- tests/baseline/national_small.csv; then
  echo "tests/baseline/national_small.csv is unchanged"
else
  git --no-pager diff --stat -- tests/baseline/national_small.csv
  echo "wrote tests/baseline/national_small.csv; commit it with a message that says why the numbers moved"
fi
