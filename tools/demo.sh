#!/usr/bin/env bash
# The main job on a generated demo world: set up, generate a small platform
# with planted campaigns (ringscope gen --preset tiny), ingest it into the
# default database (ringscope.db in the current directory, or $RINGSCOPE_DB),
# analyze it, export the ban list, and score the ban list against the
# planted truth.
#
#   bash tools/demo.sh            # demo world in ./demo, database ./ringscope.db
#   DEMO_DIR=/tmp/w SEED=7 bash tools/demo.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/tools/setup.sh"
ringscope="$repo/${BUILD_DIR:-build}/ringscope"
demo_dir=${DEMO_DIR:-demo}
seed=${SEED:-1}

"$ringscope" gen --preset tiny --seed "$seed" --out "$demo_dir"
# A re-run skips files it already ingested (same sha256).
"$ringscope" ingest --no-progress "$demo_dir/requests.jsonl" "$demo_dir/signals.csv" \
  "$demo_dir/accounts.csv"
"$ringscope" stats
"$ringscope" analyze
"$ringscope" export banlist -o "$demo_dir/banlist.csv" --since-last
echo "ban list: $demo_dir/banlist.csv ($(($(wc -l < "$demo_dir/banlist.csv") - 1)) accounts)"
"$ringscope" eval --truth "$demo_dir/truth.csv" --hard "$demo_dir/hard_negatives.csv" \
  --banlist "$demo_dir/banlist.csv"
