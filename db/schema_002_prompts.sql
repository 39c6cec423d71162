-- ringscope schema version 2: prompt similarity and database settings.
--
-- A prompt template fingerprint (signal_values of kind 'prompt', "t:" + 16
-- hex digits) gets a MinHash sketch when ingest first sees it; analyze joins
-- near-duplicate templates into prompt clusters with LSH (algorithms/
-- prompt_clusters.h), and the cluster, not the single template, is the prompt
-- value that links accounts.
--
-- Handy query: the templates of the prompt cluster of value 42, with an example:
--   SELECT v.value, e.text FROM prompt_clusters c JOIN signal_values v ON v.id = c.value_id
--     LEFT JOIN prompt_examples e ON e.value_id = c.value_id
--    WHERE c.cluster_value_id = (SELECT cluster_value_id FROM prompt_clusters WHERE value_id = 42);

-- The MinHash sketch of each prompt template, computed once per fingerprint
-- from the full normalised template (not the truncated examples).
CREATE TABLE prompt_sketches (
  value_id INTEGER PRIMARY KEY REFERENCES signal_values(id),  -- the template fingerprint value
  sketch   BLOB NOT NULL          -- K bins of 16-bit little-endian values (algorithms/minhash.h),
                                  -- 2K bytes; the options are in settings 'prompt_sketch'
);

-- The prompt cluster of every sketched template, as of the latest analyze
-- that clustered prompts. A cluster is named by one of its templates (its
-- representative); ids are stable: clusters only grow and merge, and when two
-- merge the older id survives.
CREATE TABLE prompt_clusters (
  value_id         INTEGER PRIMARY KEY REFERENCES signal_values(id),  -- a template fingerprint
  cluster_value_id INTEGER NOT NULL REFERENCES signal_values(id)      -- its cluster's
                                  -- representative template (= value_id for a representative)
);
-- The templates of one prompt cluster.
CREATE INDEX prompt_clusters_by_cluster ON prompt_clusters (cluster_value_id, value_id);

-- Settings a database is bound to once written (so later ingests stay
-- comparable), e.g. 'prompt_sketch' (JSON of the MinHash options).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,         -- setting name
  value TEXT NOT NULL             -- its value (JSON or text)
);
