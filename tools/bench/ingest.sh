#!/usr/bin/env bash
# Ingest benchmark: generates a world once (cached), then times
# `ringscope ingest` of its request log into a fresh database and prints
# rows/s, MB/s and peak memory (ingest's own summary, measured in-process).
#
#   bash tools/bench/ingest.sh                 # preset small (~1M request lines)
#   PRESET=distill-24k bash tools/bench/ingest.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bash "$repo/tools/setup.sh"
ringscope="$repo/${BUILD_DIR:-build}/ringscope"
preset=${PRESET:-small}
seed=${SEED:-1}
dir=${BENCH_DIR:-/tmp/ringscope-bench}/$preset-$seed
if [ ! -f "$dir/requests.jsonl" ]; then
  "$ringscope" gen --preset "$preset" --seed "$seed" --out "$dir"
fi
rm -f "$dir/bench.db" "$dir/bench.db-wal" "$dir/bench.db-shm"
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Other work on the machine inflates wall time: the load average says how much.
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ringscope ingest $dir/requests.jsonl ($(du -h "$dir/requests.jsonl" | cut -f1))"
"$ringscope" --db "$dir/bench.db" ingest --no-progress "$dir/requests.jsonl"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== prompt sketches: $(sqlite3 "$dir/bench.db" "SELECT count(*) FROM prompt_sketches") for" \
  "$(sqlite3 "$dir/bench.db" "SELECT count(*) FROM signal_values v JOIN kinds k ON k.id = v.kind_id
                              WHERE k.name = 'prompt'") prompt values"
echo "== ringscope ingest signals + accounts"
"$ringscope" --db "$dir/bench.db" ingest --no-progress "$dir/signals.csv" "$dir/accounts.csv"
