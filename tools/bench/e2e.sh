#!/usr/bin/env bash
# End-to-end benchmark (issue 8): generates a world once into a cache, then
# times each step of the main job on a fresh database: ingest of the request
# log, ingest of the signal and account tables, analyze (with its own
# per-stage timings), export of the ban list and eval. Prints a markdown
# report with wall time, CPU time and peak RSS per step, and the machine.
#
#   bash tools/bench/e2e.sh                          # distill-24k, seed 1
#   PRESET=small SEED=2 bash tools/bench/e2e.sh
#   ANALYZE_ARGS="--no-prompt-clusters" bash tools/bench/e2e.sh
#   ACCOUNTS=2000000 bash tools/bench/e2e.sh      # distill-24k scaled: 2M benign accounts
# Env: BUILD_DIR (default build), BENCH_DIR (default /tmp/ringscope-bench),
# KEEP_DB=1 keeps the database for query benchmarks.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bash "$repo/tools/setup.sh" > /dev/null
ringscope="$repo/${BUILD_DIR:-build}/ringscope"
preset=${PRESET:-distill-24k}
seed=${SEED:-1}
accounts=${ACCOUNTS:-}  # gen --accounts (benign accounts; campaigns scale with it)
dir=${BENCH_DIR:-/tmp/ringscope-bench}/$preset-$seed${accounts:+-$accounts}
requests="$dir/requests.jsonl.zst"
if [ ! -f "$requests" ]; then
  mkdir -p "$dir"
  "$ringscope" -q gen --preset "$preset" --seed "$seed" ${accounts:+--accounts "$accounts"} \
    --zstd --out "$dir"
fi
db="$dir/e2e.db"
rm -f "$db" "$db-wal" "$db-shm"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

rows=()
total_wall=0
peak_all=0
# step NAME COMMAND...: runs the command under GNU time; records wall s, CPU s, peak RSS.
step() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" > "$dir/$name.out" 2> "$dir/$name.err" || {
    echo "step '$name' failed:" >&2
    cat "$dir/$name.err" >&2
    exit 1
  }
  read -r wall user sys rss_kb < "$log"
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  rows+=("| $name | $wall | $cpu | $((rss_kb / 1024)) |")
  total_wall=$(awk -v t="$total_wall" -v w="$wall" 'BEGIN {printf "%.2f", t + w}')
  if ((rss_kb > peak_all)); then peak_all=$rss_kb; fi
}

lines=$(zstd -dc "$requests" | wc -l)
step "ingest requests" "$ringscope" --db "$db" -q ingest --no-progress "$requests"
step "ingest signals+accounts" "$ringscope" --db "$db" -q ingest --no-progress \
  "$dir/signals.csv" "$dir/accounts.csv"
# shellcheck disable=SC2086
step "analyze" "$ringscope" --db "$db" analyze ${ANALYZE_ARGS:-}
step "export banlist" "$ringscope" --db "$db" -q export banlist -o "$dir/banlist.csv"
step "eval" "$ringscope" --db "$db" eval --truth "$dir/truth.csv" \
  --hard "$dir/hard_negatives.csv"

echo "## End to end: $preset, seed $seed"
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Command: \`PRESET=$preset SEED=$seed ${accounts:+ACCOUNTS=$accounts }${ANALYZE_ARGS:+ANALYZE_ARGS=\"$ANALYZE_ARGS\" }bash tools/bench/e2e.sh\`"
echo
echo "| step | wall s | CPU s | peak RSS MB |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo "| **total** | **$total_wall** | | **$((peak_all / 1024))** |"
echo
ingest_wall=$(echo "${rows[0]}" | awk -F'|' '{print $3}')
echo "Request lines: $lines; ingest of the request log: $(awk -v l="$lines" -v w="$ingest_wall" 'BEGIN {printf "%d", l / w}') lines/s."
echo
echo "Analyze stages (seconds, from the run's stats):"
echo
echo "| stage | s |"
echo "|---|---:|"
sqlite3 -separator ' | ' "$db" "SELECT '| ' || key, printf('%.2f |', value) FROM runs,
  json_each(runs.stats, '\$.seconds') WHERE runs.id = (SELECT MAX(id) FROM runs)"
echo
echo "Graph: $(sqlite3 "$db" "SELECT group_concat(key || ' ' || value, ', ') FROM runs,
  json_each(runs.stats) WHERE runs.id = (SELECT MAX(id) FROM runs) AND key <> 'seconds'")"
echo
echo "Quality (eval):"
echo
echo '```'
# The summary, campaigns and the hard-negative total; not the per-group table.
sed '/^group /,/^$/d' "$dir/eval.out"
echo '```'
if [ "${KEEP_DB:-0}" != 1 ]; then rm -f "$db" "$db-wal" "$db-shm"; fi
