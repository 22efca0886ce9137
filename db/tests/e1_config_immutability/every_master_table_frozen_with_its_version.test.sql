-- E1: the freeze covers all seven master tables, not only the ones the end-to-end story touches:
-- updating any master row of the ACTIVE version is refused with ZA003.
begin;
\ir ../_support/helpers.psql
select plan(7);

-- SETUP: an ACTIVE config with a row in every master table
do $$
begin
  perform pg_temp.gn_make_active_workspace('a', 1);
end $$;

-- TEST: one update per master table
select throws_ok(
  format('update public.%I set created_at = created_at where config_version_id::text = %L', t, pg_temp.gn_get('a_cv')),
  'ZA003', format('cannot update %s row: config version %s is ACTIVE, only a DRAFT version''s master rows can change', t, pg_temp.gn_get('a_cv')),
  format('e1: updating a %s row of the ACTIVE version is refused with ZA003', t))
from unnest(pg_temp.gn_master_tables()) t;

select * from finish();
rollback;
