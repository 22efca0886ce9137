-- Benchmark setup (not the product): fills a migrated database with other workspaces' data so the
-- suite runs against realistic volumes. psql variables (all required):
--   workspaces   number of extra workspaces (BENCH-0001 ...), each with one ACTIVE config version
--   instances    workflow_instances rows, spread over those workspaces
--   audit_rows   audit_logs rows
-- workflow_stages gets 5 rows per instance (one per stage template).
--
-- Ids are md5-derived uuids (random-looking, like gen_random_uuid(), but computable), so child rows
-- find their parents without joins. The load runs with session_replication_role = replica: the
-- guard, audit and foreign-key triggers are off for the bulk insert (the generator keeps the rows
-- consistent itself), and the plain idx_* indexes of the three big tables are dropped for the load
-- and rebuilt afterwards (constraint indexes stay live), then everything is ANALYZEd.
--
-- The work is in bench/sql/scale/ (4 parts; bench/scale-data.mjs runs parts 2 and 3 concurrently,
-- one per core). This file runs them one after the other:
--   psql -X -v ON_ERROR_STOP=1 -v workspaces=500 -v instances=1000000 -v audit_rows=10000000 \
--        -d DB -f bench/sql/generate_scale_data.sql
\set ON_ERROR_STOP on
\ir scale/10_prepare.sql
\ir scale/20_runtime.sql
\ir scale/30_audit.sql
\ir scale/40_finish.sql
