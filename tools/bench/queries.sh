#!/usr/bin/env bash
# Query latency benchmark: times the analyst's daily queries end to end (the
# `ringscope` process started, the database opened, the answer written to
# /dev/null, as an analyst at a shell sees it) over N ids each, and prints
# wall-clock p50, p99 and max and the process's CPU time (user + sys, which a
# busy machine does not inflate) p50 and p99 per query.
#
#   bash tools/bench/queries.sh DB [N]          # an ingested and analysed database
#   N=200 RINGSCOPE=build/ringscope bash tools/bench/queries.sh /tmp/small/bench.db
#
# Ids (deterministic for a database): N accounts, half from the run's
# clusters and half from all accounts; N values of observed (account, value)
# pairs; N clusters (drawn with repetition from the run's); N explain pairs,
# half two members of one cluster and half two accounts from anywhere; expand
# (--top 50) and render (account, depth 1, JSON) from SLOW_N cluster members.
# Needs the sqlite3 command-line shell to draw the ids.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
db=${1:?usage: queries.sh DB [N]}
n=${2:-${N:-200}}
ringscope=${RINGSCOPE:-$repo/${BUILD_DIR:-build}/ringscope}
[ -x "$ringscope" ] || { echo "no ringscope binary at $ringscope (set RINGSCOPE)" >&2; exit 1; }
[ -f "$db" ] || { echo "no database at $db" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
half=$((n / 2))
run=$(sqlite3 "$db" "SELECT max(id) FROM runs WHERE status = 'complete'")
[ -n "$run" ] || { echo "$db has no analysis run: run 'ringscope analyze' first" >&2; exit 1; }

# A deterministic shuffle: order by a multiplicative hash of the rowid.
hash='((%s * 2654435761) %% 4294967291)'
h() { printf "$hash" "$1"; }
sqlite3 "$db" "SELECT a.name FROM cluster_members m JOIN accounts a ON a.id = m.account_id
  WHERE m.run_id = $run ORDER BY $(h a.id) LIMIT $half" >"$work/accounts"
sqlite3 "$db" "SELECT name FROM accounts ORDER BY $(h id) LIMIT $((n - $(wc -l <"$work/accounts")))" \
  >>"$work/accounts"
sqlite3 -separator $'\t' "$db" "SELECT k.name, v.value FROM observations o
  JOIN signal_values v ON v.id = o.value_id JOIN kinds k ON k.id = v.kind_id
  WHERE o.account_id IN (SELECT id FROM accounts ORDER BY $(h id) LIMIT $n)
  GROUP BY o.account_id LIMIT $n" >"$work/values"
mapfile -t all_clusters < <(sqlite3 "$db" "SELECT cluster_id FROM clusters WHERE run_id = $run
  ORDER BY cluster_id")
for i in $(seq "$n"); do
  echo "${all_clusters[$(( (i * 2654435761) % 4294967291 % ${#all_clusters[@]} ))]}"
done >"$work/clusters"
# Each drawn member is paired with the next member of its cluster (a window
# over the run's members: a self-join is quadratic in a cluster's size).
sqlite3 -separator $'\t' "$db" "SELECT a, b FROM (SELECT a1.name AS a,
  LEAD(a1.name) OVER (PARTITION BY m1.cluster_id ORDER BY m1.account_id) AS b,
  m1.account_id AS id
  FROM cluster_members m1 JOIN accounts a1 ON a1.id = m1.account_id
  WHERE m1.run_id = $run) WHERE b IS NOT NULL ORDER BY $(h id) LIMIT $half" \
  >"$work/pairs"
# (awk reads all its input: a `head` here would end paste with SIGPIPE)
paste "$work/accounts" <(tail -n +2 "$work/accounts"; head -1 "$work/accounts") |
  awk -v m=$((n - $(wc -l <"$work/pairs"))) 'NR <= m' >>"$work/pairs"

# Sets cpu to the children's CPU seconds (user + sys) so far, from the
# `times` builtin, run in this shell (a subshell would report its own).
child_cpu() {
  times >"$work/times"
  cpu=$(tail -1 "$work/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/);
    printf "%.6f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}

# time_query NAME ARGS...: appends "wall_ms cpu_ms" of one run to $work/NAME.ms
time_query() {
  local name=$1
  shift
  local c0 t0 t1
  child_cpu
  c0=$cpu
  t0=$EPOCHREALTIME
  "$ringscope" --db "$db" -q "$@" --format json >/dev/null 2>"$work/err" || {
    local rc=$?
    # an id the query rejects (exit 1) is still an answer; anything else is a failure
    if [ $rc -ne 1 ]; then cat "$work/err" >&2; exit 1; fi
  }
  t1=$EPOCHREALTIME
  child_cpu
  echo "$t0 $t1 $c0 $cpu" | awk '{ printf "%.3f %.3f\n", ($2 - $1) * 1000, ($4 - $3) * 1000 }' \
    >>"$work/$name.ms"
}

while read -r a; do time_query account account "$a"; done <"$work/accounts"
while IFS=$'\t' read -r kind value; do time_query value value "$kind" "$value"; done <"$work/values"
while read -r c; do time_query cluster cluster "$c"; done <"$work/clusters"
for _ in $(seq "$n"); do time_query top top; done
while IFS=$'\t' read -r a b; do time_query explain explain "$a" "$b"; done <"$work/pairs"
# expand and render read a neighbourhood of up to 2,000 / 150 accounts: seconds
# each on a large database, so SLOW_N (default min(N, 40)) of the drawn
# cluster members (the first half of the accounts) serve as seeds and centres.
slow_n=${SLOW_N:-$((n < 40 ? n : 40))}
while read -r a; do time_query expand expand --seeds "$a" --top 50; done < <(head -n "$slow_n" "$work/accounts")
while read -r a; do time_query render render account "$a"; done < <(head -n "$slow_n" "$work/accounts")

echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== $db: $(sqlite3 "$db" 'SELECT count(*) FROM accounts') accounts," \
  "$(sqlite3 "$db" 'SELECT sum(requests) FROM accounts') requests, run $run"
echo "== wall: end to end, process start included; cpu: the process's user + sys time"
printf '%-8s %5s %8s %8s %8s %8s %8s\n' query runs wall_p50 wall_p99 wall_max cpu_p50 cpu_p99
for q in account value cluster top explain expand render; do
  cut -d' ' -f2 "$work/$q.ms" | sort -n >"$work/$q.cpu"
  cut -d' ' -f1 "$work/$q.ms" | sort -n | paste - "$work/$q.cpu" | awk -v q="$q" '
    { w[NR] = $1; c[NR] = $2 }
    END { i50 = int((NR - 1) * 0.50) + 1; i99 = int((NR - 1) * 0.99) + 1
      printf "%-8s %5d %8.1f %8.1f %8.1f %8.1f %8.1f\n", q, NR, w[i50], w[i99], w[NR], c[i50], c[i99] }'
done
