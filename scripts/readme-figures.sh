#!/usr/bin/env bash
# Regenerates the README's figures: docs/img/death_rates.png, the national crude death rate, true and registered,
# with the target bands of targets.csv, from a fresh default run (commune resolution, the one the parameters are fitted at; seed 1);
# docs/img/serve.png, the `leapsim serve` page as the browser test leaves it (it prints its speed figures too).
#   bash scripts/readme-figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dotnet build src/LeapSim.Cli -c Release --nologo -v quiet
leapsim() { dotnet run --project src/LeapSim.Cli -c Release --no-build --no-launch-profile -- "$@"; }
leapsim run --quiet --resolution commune --out "$tmp/default"
mkdir -p docs/img
leapsim plot "$tmp/default" \
  --series crude_death_rate_permille,crude_death_rate_registered_permille \
  --title "National crude death rate, true and registered (default scenario, commune resolution, seed 1)" \
  --width 900 --height 520 \
  --out docs/img/death_rates.png

dotnet test tests/LeapSim.Tests -c Release --nologo --filter "FullyQualifiedName~LeapSim.Tests.Web.WebBrowserTests" --logger "console;verbosity=detailed" \
  | grep -E "commune resolution|server side" || true
cp "${TMPDIR:-/tmp}/leapsim-tests/web-browser/serve.png" docs/img/serve.png
