#!/usr/bin/env bash
# Compares two revisions of the model the way the performance sessions do (bench/README.md): builds each (Release,
# from a temporary git worktree), checks that they write the same tables (the commune run and a team run of three
# provinces: national_monthly.csv, provinces.csv and national.csv compared byte for byte), then runs `leapsim bench`
# on them alternately, A then B, PAIRS times, and prints each run's month and parts and, at the end, the median of
# each. Why alternated pairs: this machine's host swings between fast and slow states within minutes, so only runs
# taken back to back compare (a part's time moved by up to 2x between runs of one build).
#   bash scripts/bench-ab.sh A B [bench options]      A, B: revisions (HEAD, a commit, a branch; "." is the working tree)
#   PAIRS=5 bash scripts/bench-ab.sh d492de9 . --resolution team --years 1957-1961    (PAIRS: default 3)
# Bench options default to the 1958 team month on two threads: --resolution team --years 1958-1958 --threads 2.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; fi
a="$1"; b="$2"; shift 2
for rev in "$a" "$b"; do
  [ "$rev" = "." ] || git rev-parse --verify --quiet "$rev^{commit}" > /dev/null \
    || { echo "bench-ab: '$rev' is not a revision of this repository (a commit, a branch, HEAD, or . for the working tree)" >&2; exit 2; }
done
args=("$@"); [ ${#args[@]} -eq 0 ] && args=(--resolution team --years 1958-1958 --threads 2)
pairs="${PAIRS:-3}"
tmp="$(mktemp -d)"
cleanup() { for w in "$tmp"/src-*; do [ -d "$w" ] && git worktree remove --force "$w" > /dev/null 2>&1; done; rm -rf "$tmp"; }
trap cleanup EXIT

# Builds revision $1 into $tmp/bin-$2 ("." builds the working tree as it stands).
build() {
  local src=.
  if [ "$1" != "." ]; then
    src="$tmp/src-$2"
    git worktree add --detach --quiet "$src" "$1"
  fi
  dotnet build "$src/src/LeapSim.Cli" -c Release --nologo -v quiet -o "$tmp/bin-$2" > "$tmp/build-$2.log" 2>&1 \
    || { echo "bench-ab: the build of '$1' failed (log: $tmp/build-$2.log)" >&2; cat "$tmp/build-$2.log" >&2; exit 1; }
}
build "$a" a
build "$b" b
leapsim() { local side="$1"; shift; dotnet "$tmp/bin-$side/leapsim.dll" "$@"; }

same=yes
for side in a b; do
  leapsim "$side" run --quiet --out "$tmp/out-commune-$side"
  leapsim "$side" run --quiet --resolution team --provinces Ningxia,Qinghai,Anhui --out "$tmp/out-team-$side"
done
for run in commune team; do
  for f in national_monthly.csv provinces.csv national.csv; do
    cmp -s "$tmp/out-$run-a/$f" "$tmp/out-$run-b/$f" || { same=no; echo "differs: $run run, $f"; }
  done
done
echo "tables of A ($a) and B ($b): $([ "$same" = yes ] && echo "byte-identical" || echo "DIFFERENT (above)")"

# One bench run: "month <ms> floor <ms> <part> <ms> ..." on one line (POSIX awk and sed: no gawk here).
measure() {
  local out
  out="$(leapsim "$1" bench "${args[@]}")"
  printf 'month %s floor %s ' "$(echo "$out" | sed -n 's/.*(\([0-9.]*\) ms a month.*/\1/p')" \
    "$(echo "$out" | sed -n 's/.*memory floor *\([0-9.]*\) ms.*/\1/p')"
  echo "$out" | awk '/^    [a-z]/ { for (i = 2; i <= NF; i++) if ($i == "ms") { name = $1; for (j = 2; j < i - 1; j++) name = name "_" $j; printf "%s %s ", name, $(i - 1); break } } END { print "" }'
}
: > "$tmp/a.txt"; : > "$tmp/b.txt"
for i in $(seq "$pairs"); do
  for side in a b; do
    line="$(measure "$side")"
    echo "$line" >> "$tmp/$side.txt"
    echo "pair $i $side: $line"
  done
done
echo
echo "medians of $pairs run(s), ms a month: A ($a) / B ($b)"
awk '
  FNR == 1 { file++ }
  { for (i = 1; i < NF; i += 2) { key = $i; if (!(key in seen)) { seen[key] = 1; order[++n] = key } v[file, key, ++c[file, key]] = $(i + 1) } }
  function median(f, key,   k, m, t, x, j) {
    m = c[f, key]; for (k = 1; k <= m; k++) x[k] = v[f, key, k]
    for (k = 2; k <= m; k++) { t = x[k]; for (j = k - 1; j >= 1 && x[j] > t; j--) x[j + 1] = x[j]; x[j + 1] = t }
    return m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
  }
  END { for (k = 1; k <= n; k++) printf "  %-18s %10.3f / %-10.3f\n", order[k], median(1, order[k]), median(2, order[k]) }
' "$tmp/a.txt" "$tmp/b.txt"
