-- ringscope schema version 5: each account's strongest links in a run's graph.
--
-- `ringscope expand` walks the link graph from seed accounts (personalized
-- PageRank). Rebuilding an account's links from the observations costs
-- 2.5-7 ms of index reads for a campaign member of distill-24k, and a walk
-- reads up to 2,000 accounts: 5-7 s. analyze has the whole graph in memory,
-- so it stores each account's strongest links once, and the walk reads one
-- row per account (tens of microseconds).
--
-- Each entry also carries the linked account's degree (its own stored
-- weights summed), so the walk knows whether an account can be pushed before
-- reading its row, and reads only the rows it pushes: about 150 instead of
-- 1,000 for one seed.
--
-- Only the newest run keeps its lists: analyze deletes the previous runs'
-- rows (at most 50 links per account, 16 bytes each; about 105 MB for
-- distill-24k), and expand on an older run rebuilds links from the
-- observations as before.
--
-- The list is a BLOB of 16-byte entries, strongest first (ties by account
-- id), little-endian: the linked account's accounts.id (64-bit integer), the
-- link's weight in the run's graph, and the linked account's degree (both
-- IEEE 754 32-bit floats). Accounts without links have no row.

-- The strongest links of one account in one run's link graph.
CREATE TABLE run_neighbours (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,  -- the run
  account_id INTEGER NOT NULL REFERENCES accounts(id),                -- the account
  neighbours BLOB NOT NULL,  -- 16-byte entries (account id, weight, degree), strongest first
  PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;
