-- ringscope schema version 3: the hub decisions of each run.
--
-- analyze judges every value shared by many accounts (graph/hub_assessment.h)
-- and weighs it by a factor: 1 kept, below 1 demoted (a benign NAT address,
-- a framework's boilerplate prompt), 0 dropped. The queries that weigh links
-- locally (account, explain, expand, render) read the run's factors here, so
-- they weigh a shared value exactly as the run did.
--
-- Handy query: the values run 3 demoted, most shared first:
--   SELECT k.name, v.value, v.account_count, h.factor FROM run_hubs h
--     JOIN signal_values v ON v.id = h.value_id JOIN kinds k ON k.id = v.kind_id
--    WHERE h.run_id = 3 AND h.decision <> 'kept' ORDER BY v.account_count DESC;

-- One assessed value of a run (a prompt cluster's representative template
-- stands for its cluster).
CREATE TABLE run_hubs (
  run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,  -- the run
  value_id INTEGER NOT NULL REFERENCES signal_values(id),            -- the assessed value
  factor   REAL NOT NULL,         -- weight factor applied by the run: 1 kept, 0 dropped
  decision TEXT NOT NULL,         -- 'kept', 'demoted' or 'dropped'
  PRIMARY KEY (run_id, value_id)
) WITHOUT ROWID;
