-- C2: every foreign key column on the sixteen tables has exactly its referenced column's type
-- (uuid workspace ids, text user ids, config_version_id following config_versions.id).
begin;
\ir ../_support/helpers.psql
select plan(2);

-- SETUP: one row per (foreign key, column pair) touching the sixteen tables
create temp view gn_fk_pairs as
select c.conname, c.conrelid::regclass::text as tbl, a.attname as col,
  format_type(a.atttypid, a.atttypmod) as col_type,
  c.confrelid::regclass::text as ref_tbl, r.attname as ref_col,
  format_type(r.atttypid, r.atttypmod) as ref_type
from pg_constraint c
cross join lateral unnest(c.conkey, c.confkey) as k(col, refcol)
join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col
join pg_attribute r on r.attrelid = c.confrelid and r.attnum = k.refcol
where c.contype = 'f'
  and (c.conrelid in (select pg_temp.gn_table_oids()) or c.confrelid in (select pg_temp.gn_table_oids()));

-- TEST: the foreign keys are there to be compared
select cmp_ok((select count(distinct conname)::int from gn_fk_pairs), '>=', 45,
  'c2: at least 45 foreign keys to compare on the sixteen tables');

-- TEST: no column differs from the column it references
select is_empty(
  $$ select format('%s.%s (%s) -> %s.%s (%s) [%s]', tbl, col, col_type, ref_tbl, ref_col, ref_type, conname)
     from gn_fk_pairs where col_type <> ref_type $$,
  'c2: every foreign key column has its referenced column''s type'
);

select * from finish();
rollback;
