-- A config edit: rename a site of a workspace's DRAFT config version (one transaction).
-- With triggers: guard_master_row checks the version is DRAFT, audit_row_change logs old and new.
-- pgbench -D workspaces=N (the BENCH-* workspaces of bench/sql/trigger_cost_setup.sql)
\set w random(1, :workspaces)
\set s random(1, 50)
update public.master_sites set site_name = 'Edited site ' || :s || ' #' || :client_id
where id = md5('dst' || :w || '-' || :s)::uuid;
