-- C1: the sixteen tables (docs/design.md) exist (by name: a staging database holds others too),
-- each with a primary key.
begin;
\ir ../_support/helpers.psql
select plan(32);

-- TEST: the five baseline tables and the eleven tables of the migration exist
select has_table('public', t, format('c1: table %s exists', t)) from unnest(pg_temp.gn_tables()) t;

-- TEST: each of them has a primary key
select has_pk('public', t, format('c1: table %s has a primary key', t)) from unnest(pg_temp.gn_tables()) t;

select * from finish();
rollback;
