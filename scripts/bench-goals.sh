#!/usr/bin/env bash
# Measures the figures of issue 8's goal table (bench/README.md): a team-resolution run of the default 1957-1966
# (wall time and peak RSS), `leapsim bench --resolution team` (ratio to the memory floor), the commune and province
# commands, the same runs timed inside one process (`bench --whole-runs`: no process start, no JIT), and the speed-up
# of 2 threads over 1 at team and brigade resolution. Each figure is the median of RUNS runs (default 5, as the issue
# asks; RUNS=1 for a quick look). Run it on an otherwise idle machine: about 27 minutes
# at RUNS=5 on the 2-core machine. Prints one line a measurement and a summary at the end.
#   bash scripts/bench-goals.sh            RUNS=1 bash scripts/bench-goals.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dotnet build src/LeapSim.Cli -c Release --nologo -v quiet -o "$tmp/bin"
cli=(dotnet "$tmp/bin/leapsim.dll")
leapsim() { "${cli[@]}" "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# A command's wall seconds and peak resident kilobytes, as "seconds kilobytes" (/usr/bin/time runs programs, not shell
# functions, hence "${cli[@]}" below).
timed() { /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null 2>&1; cat "$tmp/time"; }
# The months' milliseconds a month that `leapsim bench` prints.
bench_ms() { leapsim bench "$@" | sed -n 's/.*months stepped in .*(\([0-9.]*\) ms a month.*/\1/p'; }

: > "$tmp/team"; : > "$tmp/rss"; : > "$tmp/commune"; : > "$tmp/province"; : > "$tmp/ratio"; : > "$tmp/team2"; : > "$tmp/brigade2"
: > "$tmp/commune_warm"; : > "$tmp/province_warm"
for i in $(seq "$runs"); do
  read -r s kb < <(timed "${cli[@]}" run --resolution team --quiet --out "$tmp/out-team")
  echo "$s" >> "$tmp/team"; echo "$kb" >> "$tmp/rss"; echo "team run $i: $s s, peak RSS $kb KB"
  s=$(timed "${cli[@]}" run --resolution commune --quiet --out "$tmp/out-commune" | cut -d' ' -f1); echo "$s" >> "$tmp/commune"; echo "commune run $i: $s s"
  s=$(timed "${cli[@]}" run --resolution province --quiet --out "$tmp/out-province" | cut -d' ' -f1); echo "$s" >> "$tmp/province"; echo "province run $i: $s s"
  # The same runs inside one process, after a first that pays the JIT: the median of 3 again.
  s=$(leapsim bench --resolution commune --whole-runs 3 | sed -n 's/.*whole run, again *\([0-9.]*\) s.*/\1/p'); echo "$s" >> "$tmp/commune_warm"; echo "commune run in process $i: $s s"
  s=$(leapsim bench --resolution province --whole-runs 3 | sed -n 's/.*whole run, again *\([0-9.]*\) s.*/\1/p'); echo "$s" >> "$tmp/province_warm"; echo "province run in process $i: $s s"
  r=$(leapsim bench --resolution team | sed -n 's/.*ratio to the floor *\([0-9.]*\).*/\1/p'); echo "$r" >> "$tmp/ratio"; echo "bench team $i: ratio $r"
  # Thread pairs, alternated: 1 thread, then 2, on the same years.
  one=$(bench_ms --resolution team --years 1957-1958 --threads 1); two=$(bench_ms --resolution team --years 1957-1958 --threads 2)
  awk -v a="$one" -v b="$two" 'BEGIN { printf "%.4f\n", a / b }' >> "$tmp/team2"; echo "team 1957-1958: $one ms a month on 1 thread, $two on 2"
  one=$(bench_ms --resolution brigade --years 1957-1958 --threads 1); two=$(bench_ms --resolution brigade --years 1957-1958 --threads 2)
  awk -v a="$one" -v b="$two" 'BEGIN { printf "%.4f\n", a / b }' >> "$tmp/brigade2"; echo "brigade 1957-1958: $one ms a month on 1 thread, $two on 2"
done
echo
echo "medians of $runs run(s) (goal in brackets):"
echo "  team run 1957-1966        $(median < "$tmp/team") s wall   [<= 30]"
echo "  team peak RSS             $(awk '{ printf "%.2f\n", $1 / 1048576 }' "$tmp/rss" | median) GiB   [<= 3 GB = 2.79 GiB]"
echo "  bench team ratio          $(median < "$tmp/ratio")   [<= 4]"
echo "  commune command           $(median < "$tmp/commune") s   [<= 1]"
echo "  province command          $(median < "$tmp/province") s   [<= 0.1, excluding process start]"
echo "  commune run, in process   $(median < "$tmp/commune_warm") s   (no process start, no JIT)"
echo "  province run, in process  $(median < "$tmp/province_warm") s   (no process start, no JIT)"
echo "  2 threads / 1, team       $(median < "$tmp/team2")x   [>= 1.7]"
echo "  2 threads / 1, brigade    $(median < "$tmp/brigade2")x"
