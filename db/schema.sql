-- ringscope database schema, version 1.
--
-- The database is ringscope's memory and its public interface: open it with
--   sqlite3 ringscope.db
-- and query it. Conventions:
--   * timestamps are INTEGER unix seconds (UTC); NULL means unknown;
--   * ids are INTEGER rowids assigned by SQLite and stable for the life of
--     the file; names and values are stored verbatim as ingested (after the
--     normalisation described in spec/formats.md);
--   * JSON columns hold one JSON object as TEXT (use json_extract()).
-- PRAGMA user_version holds the schema version; ringscope migrates older files
-- on open and refuses files written by a newer ringscope.
--
-- Handy queries:
--   -- accounts sharing a payment card with account 'acme-17':
--   SELECT a2.name FROM accounts a JOIN observations o ON o.account_id = a.id
--     JOIN signal_values v ON v.id = o.value_id JOIN kinds k ON k.id = v.kind_id
--     JOIN observations o2 ON o2.value_id = v.id JOIN accounts a2 ON a2.id = o2.account_id
--    WHERE a.name = 'acme-17' AND k.name = 'payment' AND a2.id <> a.id;
--   -- the most shared values of each kind:
--   SELECT k.name, v.value, v.account_count FROM signal_values v JOIN kinds k
--     ON k.id = v.kind_id ORDER BY v.account_count DESC LIMIT 20;

-- Every account seen in any input (request log, signal/account/link table).
CREATE TABLE accounts (
  id         INTEGER PRIMARY KEY,   -- internal id, referenced by the tables below
  name       TEXT NOT NULL UNIQUE,  -- the account identifier as it appears in the inputs
  created_at INTEGER NULL,          -- signup time (unix s) from an account table; NULL if unknown
  requests   INTEGER NOT NULL DEFAULT 0,  -- request-log rows of this account, over all sources
  first_ts   INTEGER NULL,          -- earliest timestamp seen for the account in any source
  last_ts    INTEGER NULL           -- latest timestamp seen for the account in any source
);

-- Free-form account attributes from account tables (country, plan, org and any
-- other column). A later source overwrites the value of the same key.
CREATE TABLE account_attributes (
  account_id INTEGER NOT NULL REFERENCES accounts(id),  -- the account
  key        TEXT NOT NULL,         -- column name in the account table ('country', 'plan', ...)
  value      TEXT NOT NULL,         -- the value as read
  PRIMARY KEY (account_id, key)
);

-- Signal kinds: the built-in ip, subnet, device, payment, email, phone,
-- user_agent, api_key, prompt, plus any kind a signal table names.
CREATE TABLE kinds (
  id   INTEGER PRIMARY KEY,         -- internal id
  name TEXT NOT NULL UNIQUE         -- kind name, lower case ('payment', 'ip', ...)
);

-- One distinct normalised value of a kind: what accounts share. A prompt value
-- is a template fingerprint, a payment value an opaque (possibly hashed) token.
CREATE TABLE signal_values (
  id            INTEGER PRIMARY KEY,                      -- internal id
  kind_id       INTEGER NOT NULL REFERENCES kinds(id),    -- the value's kind
  value         TEXT NOT NULL,                            -- normalised value, verbatim
  account_count INTEGER NOT NULL DEFAULT 0,  -- distinct accounts observed with it (= its
                                             -- rows in observations); the value's degree
  UNIQUE (kind_id, value)
);

-- Account x value incidence, counted: account A was seen `count` times with
-- value v. This is the evidence every link is built from.
CREATE TABLE observations (
  account_id INTEGER NOT NULL REFERENCES accounts(id),       -- who
  value_id   INTEGER NOT NULL REFERENCES signal_values(id),  -- with what
  count      INTEGER NOT NULL,      -- times seen together, summed over sources
  first_ts   INTEGER NULL,          -- first time seen together (unix s); NULL if no timestamp
  last_ts    INTEGER NULL,          -- last time seen together (unix s); NULL if no timestamp
  PRIMARY KEY (account_id, value_id)
) WITHOUT ROWID;
-- Who shares value v: the accounts of a value in one index range.
CREATE INDEX observations_by_value ON observations (value_id, account_id);

-- A few raw prompt texts per prompt fingerprint, so an analyst can read what a
-- template looks like. At most 8 per value (the first distinct accounts win);
-- texts are truncated to 1000 bytes.
CREATE TABLE prompt_examples (
  value_id   INTEGER NOT NULL REFERENCES signal_values(id),  -- the prompt fingerprint value
  account_id INTEGER NOT NULL REFERENCES accounts(id),       -- the account that sent it
  text       TEXT NOT NULL,         -- the prompt text as sent (truncated)
  PRIMARY KEY (value_id, account_id)
) WITHOUT ROWID;

-- Every input file ingested, once: a file whose sha256 is already here is
-- skipped. A source is either fully counted or absent (one transaction).
CREATE TABLE sources (
  id            INTEGER PRIMARY KEY,  -- internal id
  path          TEXT NOT NULL,        -- path as given on the command line ('-' for stdin)
  size          INTEGER NOT NULL,     -- bytes read from the file (compressed size)
  sha256        TEXT NOT NULL UNIQUE, -- lower-hex sha256 of the raw bytes
  format        TEXT NOT NULL,        -- input format: 'requests', 'signals', 'accounts',
                                      -- 'links', 'account-list' or 'value-list'
  list_name     TEXT NULL,            -- for analyst lists: 'allow', 'seed', ...; else NULL
  rows_read     INTEGER NOT NULL,     -- data rows read (header excluded)
  rows_ingested INTEGER NOT NULL,     -- rows that contributed to the store
  rows_rejected INTEGER NOT NULL,     -- rows refused (see rejects); read = ingested + rejected
  started_at    INTEGER NULL,         -- ingest start (unix s)
  finished_at   INTEGER NULL          -- ingest end (unix s)
);

-- Rows refused at ingest, with the reason a person can act on.
CREATE TABLE rejects (
  id        INTEGER PRIMARY KEY,                                      -- internal id
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,  -- the file
  line      INTEGER NOT NULL,       -- 1-based line where the row starts
  field     TEXT NOT NULL,          -- the field concerned ('' when the whole row is bad)
  reason    TEXT NOT NULL,          -- why it was refused
  raw       TEXT NOT NULL           -- the row as read, truncated to 4096 bytes
);
CREATE INDEX rejects_by_source ON rejects (source_id);

-- Fields present in the input that ringscope does not use, counted per source
-- (so a typo in a column name shows up instead of silently losing data).
CREATE TABLE skipped_fields (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,  -- the file
  key       TEXT NOT NULL,          -- field or column name
  count     INTEGER NOT NULL,       -- rows in which it was skipped
  PRIMARY KEY (source_id, key)
);

-- Precomputed account-account links read from link tables (src,dst,kind,weight).
CREATE TABLE links (
  id             INTEGER PRIMARY KEY,                          -- internal id
  src_account_id INTEGER NOT NULL REFERENCES accounts(id),     -- one end
  dst_account_id INTEGER NOT NULL REFERENCES accounts(id),     -- the other end
  kind           TEXT NOT NULL,     -- evidence kind of the link ('link' when not given)
  weight         REAL NOT NULL,     -- strength as given (default 1.0)
  source_id      INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE  -- the file
);
CREATE INDEX links_by_src ON links (src_account_id);
CREATE INDEX links_by_dst ON links (dst_account_id);

-- Analyst lists: allowlists (never ban), seed lists (known bad), ... An entry
-- names either an account or a (kind, value).
CREATE TABLE list_entries (
  id        INTEGER PRIMARY KEY,    -- internal id
  list      TEXT NOT NULL,          -- list name: 'allow', 'seed', ...
  account   TEXT NULL,              -- account NAME (need not exist in accounts); NULL for values
  kind      TEXT NULL,              -- kind of a value entry (normalised); NULL for accounts
  value     TEXT NULL,              -- normalised value of a value entry; NULL for accounts
  note      TEXT NULL,              -- the analyst's note, if any
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE  -- the list file
);
CREATE INDEX list_entries_by_list ON list_entries (list);

-- One analysis run: its parameters and how it went.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,  -- run id, shown to analysts
  started_at  INTEGER NOT NULL,     -- unix s
  finished_at INTEGER NULL,         -- unix s; NULL while running
  status      TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),  -- progress
  algorithm   TEXT NOT NULL,        -- community algorithm ('leiden', 'louvain', 'components')
  parameters  TEXT NOT NULL DEFAULT '{}',  -- JSON object of every parameter used
  seed        INTEGER NOT NULL,     -- random seed
  modularity  REAL NULL,            -- modularity of the final partition, if computed
  stats       TEXT NULL             -- JSON object: counts and timings of the run
);

-- Clusters found by a run. cluster_id is stable across runs (matched by
-- overlap with the previous run), e.g. 'c_0042'.
CREATE TABLE clusters (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,  -- the run
  cluster_id TEXT NOT NULL,         -- stable cluster id
  size       INTEGER NOT NULL,      -- member accounts
  score      REAL NOT NULL,         -- campaign score in [0, 1]
  reasons    TEXT NOT NULL,         -- readable reasons for the score
  evidence_classes INTEGER NOT NULL DEFAULT 0,  -- independent kinds of evidence (network,
                                    -- identity, payment, device, credential, content, ...);
                                    -- a ban needs at least 2
  PRIMARY KEY (run_id, cluster_id)
);

-- Cluster membership per run: each account is in at most one cluster.
CREATE TABLE cluster_members (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,  -- the run
  account_id INTEGER NOT NULL REFERENCES accounts(id),                -- the member
  cluster_id TEXT NOT NULL,         -- its cluster in this run
  reasons    TEXT NOT NULL DEFAULT '',  -- this member's evidence, as in the ban list's reasons
  PRIMARY KEY (run_id, account_id),
  FOREIGN KEY (run_id, cluster_id) REFERENCES clusters(run_id, cluster_id)
    ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
-- The members of one cluster of a run.
CREATE INDEX cluster_members_by_cluster ON cluster_members (run_id, cluster_id);

-- Ban lists (and other exports) written from a run.
CREATE TABLE exports (
  id         INTEGER PRIMARY KEY,   -- export id
  run_id     INTEGER NOT NULL REFERENCES runs(id),  -- the run exported
  created_at INTEGER NOT NULL,      -- unix s
  kind       TEXT NOT NULL,         -- 'banlist', ...
  path       TEXT NOT NULL,         -- file written ('-' for stdout)
  min_score  REAL NULL,             -- clusters scoring below this were left out; NULL: none
  rows       INTEGER NOT NULL,      -- accounts written
  parameters TEXT NOT NULL DEFAULT '{}'  -- JSON object of the export options
);

-- The accounts an export contained, so "what changed since the last ban list"
-- is a query.
CREATE TABLE export_members (
  export_id  INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,  -- the export
  account_id INTEGER NOT NULL REFERENCES accounts(id),                   -- the account
  cluster_id TEXT NOT NULL,         -- its cluster in the exported run
  score      REAL NOT NULL,         -- the cluster's score
  reasons    TEXT NOT NULL,         -- reasons as written to the export
  PRIMARY KEY (export_id, account_id)
);
