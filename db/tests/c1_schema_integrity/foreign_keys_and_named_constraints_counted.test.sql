-- C1: the counts docs/design.md promises: at least 45 foreign keys and 22 named CHECK/UNIQUE
-- constraints on the sixteen tables, and every table the migration adds is tied to the rest by
-- foreign keys.
begin;
\ir ../_support/helpers.psql
select plan(3);

-- SETUP: counts over the sixteen tables only
do $$
begin
  perform pg_temp.gn_set('c1_fks', (select count(*) from pg_constraint
    where contype = 'f' and conrelid in (select pg_temp.gn_table_oids()))::text);
  perform pg_temp.gn_set('c1_named', (select count(*) from pg_constraint
    where contype in ('c', 'u', 'x') and conrelid in (select pg_temp.gn_table_oids()))::text);
end $$;

-- TEST: foreign keys
select diag('c1: foreign keys on the sixteen tables: ' || pg_temp.gn_get('c1_fks'));
select cmp_ok(pg_temp.gn_get('c1_fks')::int, '>=', 45, 'c1: at least 45 foreign keys on the sixteen tables');

-- TEST: named CHECK and UNIQUE constraints
select diag('c1: named CHECK/UNIQUE constraints on the sixteen tables: ' || pg_temp.gn_get('c1_named'));
select cmp_ok(pg_temp.gn_get('c1_named')::int, '>=', 22, 'c1: at least 22 named CHECK/UNIQUE constraints on the sixteen tables');

-- TEST: every added table references a workspace (directly or through a composite key)
select is_empty(
  $$ select t from unnest(pg_temp.gn_tables()) with ordinality u(t, n) where n > 5 and t <> 'audit_logs' and not exists (
       select from pg_constraint c where c.contype = 'f' and c.conrelid = to_regclass('public.' || t)
         and c.confrelid in ('public.workspaces'::regclass, 'public.config_versions'::regclass,
           'public.workflow_instances'::regclass, 'public.workflow_stages'::regclass)) $$,
  'c1: every table the migration adds (but audit_logs, which outlives what it records) has a foreign key to a workspace-scoped parent'
);

select * from finish();
rollback;
