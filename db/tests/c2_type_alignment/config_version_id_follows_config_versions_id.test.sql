-- C2: every config_version_id column takes config_versions.id's type (uuid or text, detected) and is
-- covered by a foreign key to config_versions(id ...): a column without its key is a defect.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: the config_version_id columns of the sixteen tables
create temp view gn_cv_columns as
select a.attrelid, a.attrelid::regclass::text as tbl, a.attnum, format_type(a.atttypid, a.atttypmod) as col_type
from pg_attribute a
where a.attrelid in (select pg_temp.gn_table_oids()) and a.attname = 'config_version_id'
  and a.attnum > 0 and not a.attisdropped;

-- TEST: config_versions.id has a supported type
select ok(pg_temp.gn_cv_type() in ('uuid', 'text'), 'c2: config_versions.id is uuid or text');

-- TEST: the master tables and workflow_instances carry config_version_id
select is_empty(
  $$ select t from unnest(pg_temp.gn_master_tables() || array['workflow_instances']) t
     where not exists (select from gn_cv_columns c where c.tbl = t) $$,
  'c2: every master table and workflow_instances has a config_version_id column'
);

-- TEST: each follows config_versions.id's type
select is_empty(
  $$ select format('%s.config_version_id is %s, config_versions.id is %s', tbl, col_type, pg_temp.gn_cv_type())
     from gn_cv_columns where col_type is distinct from pg_temp.gn_cv_type() $$,
  'c2: every config_version_id column has config_versions.id''s type'
);

-- TEST: each is covered by a foreign key whose referenced column for it is config_versions.id
select is_empty(
  $$ select tbl || '.config_version_id has no foreign key to config_versions.id' from gn_cv_columns v
     where not exists (
       select from pg_constraint c cross join lateral unnest(c.conkey, c.confkey) as k(col, refcol)
       where c.contype = 'f' and c.conrelid = v.attrelid and c.confrelid = 'public.config_versions'::regclass
         and k.col = v.attnum
         and k.refcol = (select attnum from pg_attribute where attrelid = 'public.config_versions'::regclass and attname = 'id')) $$,
  'c2: every config_version_id column is covered by a foreign key to config_versions.id'
);

select * from finish();
rollback;
