#!/usr/bin/env bash
# Detection quality: for each preset and seed, generate a world (cached),
# ingest it into a fresh database, analyze, export the ban list and score it
# with eval. Prints one markdown table row per world: precision, recall,
# campaigns recovered >= 90%, the worst hard-negative group's banned share,
# and the wall time of ingest and analyze.
#
#   bash tools/bench/quality.sh                        # tiny and small, seeds 1 2 3
#   PRESETS="distill-24k" SEEDS="1 2 3" bash tools/bench/quality.sh
#   ANALYZE_ARGS="--resolution 2" bash tools/bench/quality.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bash "$repo/tools/setup.sh"
ringscope="$repo/${BUILD_DIR:-build}/ringscope"
cache=${BENCH_DIR:-/tmp/ringscope-bench}
metric() { awk -F, -v s="$1" -v n="$2" -v m="$3" '$1==s && $2==n && $3==m {print $4}' "$4"; }

echo "| preset | seed | precision | recall | campaigns >= 90% | worst hard-negative group | ingest s | analyze s |"
echo "|---|---:|---:|---:|---:|---|---:|---:|"
for preset in ${PRESETS:-tiny small}; do
  for seed in ${SEEDS:-1 2 3}; do
    dir="$cache/$preset-$seed"
    # distill-24k's log is 10 GB plain: it is generated and read zstd-compressed.
    requests="$dir/requests.jsonl"
    zstd_flag=()
    if [ "$preset" = distill-24k ]; then requests="$dir/requests.jsonl.zst" zstd_flag=(--zstd); fi
    [ -f "$requests" ] ||
      "$ringscope" -q gen --preset "$preset" --seed "$seed" "${zstd_flag[@]}" --out "$dir"
    db="$dir/quality.db"
    rm -f "$db" "$db-wal" "$db-shm"
    t0=$(date +%s.%N)
    "$ringscope" --db "$db" -q ingest --no-progress "$requests" "$dir/signals.csv" \
      "$dir/accounts.csv" > /dev/null
    t1=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$ringscope" --db "$db" -q analyze ${ANALYZE_ARGS:-} > "$dir/analyze.txt"
    t2=$(date +%s.%N)
    "$ringscope" --db "$db" -q export banlist -o "$dir/banlist.csv"
    "$ringscope" eval --truth "$dir/truth.csv" --hard "$dir/hard_negatives.csv" \
      --banlist "$dir/banlist.csv" --format csv > "$dir/eval.csv"
    worst=$(awk -F, '$1=="hard_negative_group" && $3=="share" {print $4, $2}' "$dir/eval.csv" |
      sort -g | tail -1)
    campaigns=$(awk -F, '$1=="campaign" && $3=="size"' "$dir/eval.csv" | wc -l)
    printf "| %s | %s | %.4f | %.4f | %s/%s | %s (%s) | %.1f | %.1f |\n" "$preset" "$seed" \
      "$(metric bans '' precision "$dir/eval.csv")" "$(metric bans '' recall "$dir/eval.csv")" \
      "$(metric campaigns '' recovered_90pct "$dir/eval.csv")" "$campaigns" \
      "${worst#* }" "${worst%% *}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
      "$(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}')"
  done
done
