-- C1: new keys come from gen_random_uuid() (pgcrypto), never from a sequence: a rolled-back test
-- never consumes a real sequence value and keys do not collide across environments.
begin;
\ir ../_support/helpers.psql
select plan(12);

-- TEST: each table the migration adds defaults its id to gen_random_uuid()
select ok(
  coalesce((select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
    join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
    where d.adrelid = to_regclass('public.' || t) and a.attname = 'id'), '') like '%gen_random_uuid()%',
  format('c1: %s.id defaults to gen_random_uuid()', t)
) from unnest(pg_temp.gn_tables()) with ordinality u(t, n) where n > 5;

-- TEST: no column of the sixteen tables draws from a sequence (serial, identity or nextval default)
select is_empty(
  $$ select a.attrelid::regclass::text || '.' || a.attname from pg_attribute a
     left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where a.attrelid in (select pg_temp.gn_table_oids()) and a.attnum > 0 and not a.attisdropped
       and (a.attidentity <> '' or pg_get_expr(d.adbin, d.adrelid) like '%nextval(%') $$,
  'c1: no column of the sixteen tables is fed by a sequence'
);

select * from finish();
rollback;
