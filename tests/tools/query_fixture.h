// A small hand-made database with known answers for the exploration queries
// (cli_links, db/queries, the `account`/`value`/`explain` commands).
//
//   alice(1) -- payment card:A (2 holders) -- bob(2)
//   bob(2)   -- device dev1 (2 holders)    -- carol(3)
//   alice, carol, dave(4) share user agent "ua/1" (3 holders)
//   alice and hub01..hub40 (ids 101..140) share ip 10.0.0.1 (41 holders:
//     an assessed hub, above hubs.assess_min_degree = 16)
//   alice and hub39 (id 139) also share device dev2
//   alice -- precomputed link (kind "link", weights 2 and 0.5) -- erin(5)
//   alice holds payment card:solo alone; frank(6) and gina(7) send prompt
//   templates t:1111 (alice, frank) and t:2222 (gina) of one prompt cluster
//   when `prompt_clusters` is true.
// A run 1 exists with default parameters; alice, bob and carol are cluster
// c_0001 (score 0.9), dave is in none.
#pragma once

#include <string>

#include "db/store.h"

namespace ringscope::testing {

inline void FillQueryFixture(Database& db, bool prompt_clusters) {
  std::string sql;
  for (int i = 1; i <= 40; ++i)
    sql += "INSERT INTO accounts (id, name) VALUES (" + std::to_string(100 + i) + ", 'hub" +
           (i < 10 ? "0" : "") + std::to_string(i) + "');";
  sql +=
      "INSERT INTO accounts (id, name, created_at, requests, first_ts, last_ts) VALUES "
      "(1, 'alice', 1700000000, 10, 1700000100, 1700900000),"
      "(2, 'bob', 1700000500, 5, 1700000600, 1700800000),"
      "(3, 'carol', NULL, 3, 1700100000, 1700200000),"
      "(4, 'dave', 1690000000, 1, NULL, NULL),"
      "(5, 'erin', NULL, 0, NULL, NULL),"
      "(6, 'frank', NULL, 2, NULL, NULL),"
      "(7, 'gina', NULL, 2, NULL, NULL);"
      "INSERT INTO account_attributes VALUES (1, 'country', 'FR'), (1, 'org', 'acme');"
      "INSERT INTO kinds (id, name) VALUES (1, 'payment'), (2, 'ip'), (3, 'prompt'),"
      " (4, 'device'), (5, 'user_agent');"
      "INSERT INTO signal_values (id, kind_id, value, account_count) VALUES "
      "(1, 1, 'card:A', 2), (2, 4, 'dev1', 2), (3, 2, '10.0.0.1', 41), (4, 5, 'ua/1', 3),"
      "(5, 1, 'card:solo', 1), (6, 4, 'dev2', 2), (7, 3, 't:1111', 2), (8, 3, 't:2222', 1);"
      "INSERT INTO observations (account_id, value_id, count, first_ts, last_ts) VALUES "
      "(1, 1, 4, 1700000100, 1700500000), (2, 1, 2, 1700000600, 1700600000),"
      "(2, 2, 1, NULL, NULL), (3, 2, 7, NULL, NULL),"
      "(1, 3, 9, NULL, NULL), (1, 4, 1, NULL, NULL), (3, 4, 1, NULL, NULL),"
      "(4, 4, 1, NULL, NULL), (1, 5, 1, NULL, NULL), (1, 6, 1, NULL, NULL),"
      "(139, 6, 1, NULL, NULL), (1, 7, 3, NULL, NULL), (6, 7, 1, NULL, NULL),"
      "(7, 8, 1, NULL, NULL);"
      "INSERT INTO prompt_examples VALUES (7, 1, 'Solve 12 + 3 step by step'),"
      " (7, 6, 'solve 4 + 4 step by step'), (8, 7, 'Solve 9 + 9, step by step please');"
      "INSERT INTO sources (id, path, size, sha256, format, rows_read, rows_ingested, "
      " rows_rejected) VALUES (1, 'links.csv', 10, 'abc', 'links', 2, 2, 0);"
      "INSERT INTO links (src_account_id, dst_account_id, kind, weight, source_id) VALUES "
      "(1, 5, 'link', 2.0, 1), (5, 1, 'link', 0.5, 1), (4, 4, 'link', 1.0, 1);"
      "INSERT INTO runs (id, started_at, finished_at, status, algorithm, parameters, seed) VALUES "
      "(1, 1700000000, 1700000001, 'complete', 'leiden', '{}', 42);"
      "INSERT INTO clusters VALUES (1, 'c_0001', 3, 0.9, 'payment:shared(2);device:shared(2)', 2);"
      "INSERT INTO cluster_members VALUES (1, 1, 'c_0001', 'payment:shared(2)'),"
      " (1, 2, 'c_0001', 'payment:shared(2);device:shared(2)'), (1, 3, 'c_0001', 'device:shared(2)');";
  for (int i = 1; i <= 40; ++i)
    sql += "INSERT INTO observations (account_id, value_id, count) VALUES (" +
           std::to_string(100 + i) + ", 3, 1);";
  if (prompt_clusters)
    sql += "INSERT INTO prompt_clusters VALUES (7, 7), (8, 7);";
  db.Exec(sql);
}

}  // namespace ringscope::testing
