-- E1 for every master table: a row of an ACTIVE version cannot be updated (ZA003) while a row of a
-- DRAFT version can, and a DRAFT version's own columns can be edited until it is activated.
begin;
\ir ../_support/helpers.psql
select plan(16);

-- SETUP: an ACTIVE version and a DRAFT in one workspace, each loaded with one row in every master table
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 1);
  perform pg_temp.gn_set('d', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'v2.xlsx'));
  perform pg_temp.gn_load_config(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('d'), 1);
end $$;

-- TEST: in every master table, the ACTIVE version's rows are frozen
select matches(
  pg_temp.gn_try(format('update public.%I set created_at = created_at where config_version_id::text = %L', t, pg_temp.gn_get('a_cv'))),
  format('^ZA003: cannot update %s row: config version %s is ACTIVE', t, pg_temp.gn_get('a_cv')),
  format('e1: updating a %s row of the ACTIVE version is refused with ZA003', t))
from unnest(pg_temp.gn_master_tables()) t;

-- TEST: in every master table, the DRAFT version's rows can change
select is(
  pg_temp.gn_try_rows(format('update public.%I set created_at = created_at where config_version_id::text = %L', t, pg_temp.gn_get('d'))),
  '1', format('e1: the %s row of a DRAFT version can be updated', t))
from unnest(pg_temp.gn_master_tables()) t;

-- TEST: the DRAFT version's own columns can be edited
select lives_ok(
  format('update public.config_versions set source_file_name = %L where id::text = %L', 'v2-fixed.xlsx', pg_temp.gn_get('d')),
  'e1: a DRAFT version''s own columns can be edited');
select is((select source_file_name from public.config_versions where id::text = pg_temp.gn_get('d')), 'v2-fixed.xlsx',
  'e1: the edit of the DRAFT version is kept');

select * from finish();
rollback;
