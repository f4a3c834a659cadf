#!/usr/bin/env bash
# Sharding overhead of one corridor command: the unsharded run, then N shards (two at a time, as
# on a 2-core machine) and their merge, each under /usr/bin/time -v. Prints one line per N:
# total CPU seconds (user + sys) of the shards and the merge, its ratio to the unsharded run's,
# the largest peak RSS of a shard, and the merged outputs' equality with the unsharded ones.
#
# Two processes at once on this machine's two vCPUs each take more CPU time for the same work
# than one alone (they share a physical core), so the unsharded run is measured under the same
# load as the shards: two copies at once, their mean CPU time the baseline. ALONE=1 runs
# everything one process at a time instead (the shards one after another, one unsharded copy).
#
#   workflow/scripts/measure.sh BIN WORKDIR "N1 N2 .." -- COMMAND ARGS...
#   e.g. workflow/scripts/measure.sh target/release/corridor /tmp/m "1 2 4 8" -- --data IM critical
set -euo pipefail
bin="$1"; work="$2"; counts="$3"; shift 3
[ "$1" = "--" ] && shift
mkdir -p "$work"

# CPU seconds and peak RSS (kB) of a /usr/bin/time -v log.
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$1"; }
rss() { awk -F': ' '/Maximum resident/ {print $2}' "$1"; }

# An unsharded run already measured in WORKDIR (whole/ and whole.time) is reused.
at_once=2; [ "${ALONE:-0}" = 1 ] && at_once=1
if [ ! -d "$work/whole" ] || ! grep -q "Exit status: 0" "$work/whole.time" 2>/dev/null; then
  rm -rf "$work/whole" "$work/whole-b"
  /usr/bin/time -v "$bin" --quiet --threads 1 "$@" --out "$work/whole" >/dev/null 2>"$work/whole.time" &
  if [ "$at_once" = 2 ]; then
    /usr/bin/time -v "$bin" --quiet --threads 1 "$@" --out "$work/whole-b" >/dev/null 2>"$work/whole-b.time" &
  fi
  wait
fi
base=$(cpu "$work/whole.time")
if [ -f "$work/whole-b.time" ]; then
  base=$(echo "($base + $(cpu "$work/whole-b.time")) / 2" | bc -l)
fi
printf 'unsharded: cpu %.2f s (%s at once), peak RSS %s kB\n' "$base" "$at_once" "$(rss "$work/whole.time")"
for n in $counts; do
  mkdir -p "$work/n$n"
  rm -rf "$work/n$n/merged"
  i=1
  while [ "$i" -le "$n" ]; do
    for j in $(seq "$i" $((i + at_once - 1))); do
      [ "$j" -le "$n" ] || continue
      # A shard already measured (its part and a clean exit) is reused.
      if [ -f "$work/n$n/part-$j/shard.json" ] && grep -q "Exit status: 0" "$work/n$n/time-$j" 2>/dev/null; then
        continue
      fi
      /usr/bin/time -v "$bin" --quiet --threads 1 "$@" --shard "$j/$n" --out "$work/n$n/part-$j" \
        >/dev/null 2>"$work/n$n/time-$j" &
    done
    wait
    i=$((i + at_once))
  done
  /usr/bin/time -v "$bin" --quiet --threads 1 merge --out "$work/n$n/merged" "$work/n$n"/part-* \
    >/dev/null 2>"$work/n$n/merge.time" || { echo "merge failed at N=$n"; head -3 "$work/n$n/merge.time"; exit 1; }
  total=0; peak=0; slowest=0
  for t in "$work/n$n"/time-*; do
    c=$(cpu "$t"); total=$(echo "$total + $c" | bc)
    r=$(rss "$t"); [ "$r" -gt "$peak" ] && peak=$r
    slowest=$(echo "if ($c > $slowest) $c else $slowest" | bc)
  done
  m=$(cpu "$work/n$n/merge.time")
  all=$(echo "$total + $m" | bc)
  same=identical; diff -rq "$work/whole" "$work/n$n/merged" >/dev/null || same=DIFFERENT
  printf 'N=%s: shards cpu %.2f s (largest %.2f s), merge %.2f s, total/unsharded %.3f (shards alone %.3f), peak RSS per shard %s kB, merge %s kB, outputs %s\n' \
    "$n" "$total" "$slowest" "$m" "$(echo "$all / $base" | bc -l)" "$(echo "$total / $base" | bc -l)" "$peak" "$(rss "$work/n$n/merge.time")" "$same"
done
