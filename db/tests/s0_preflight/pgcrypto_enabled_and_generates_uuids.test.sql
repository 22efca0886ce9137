-- Section 0, step 1-2: pgcrypto is enabled and new keys can be generated.
begin;
\ir ../_support/helpers.psql
select plan(4);

-- TEST: the extension is installed and reported to the orchestrator
select diag('section0.pgcrypto: ' || case when exists (select from pg_extension where extname = 'pgcrypto') then 'yes' else 'no' end);
select ok(exists (select from pg_extension where extname = 'pgcrypto'), 's0: pgcrypto extension is enabled');

-- TEST: gen_random_uuid() yields distinct version-4 uuids
select isnt(gen_random_uuid(), gen_random_uuid(), 's0: gen_random_uuid() yields a new uuid on every call');
select is(substr(gen_random_uuid()::text, 15, 1), '4', 's0: gen_random_uuid() yields version-4 uuids');

-- TEST: pgcrypto's own functions answer, wherever the extension's schema is
select is(
  (select pg_temp.gn_pgcrypto_sha256('abc')),
  'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  's0: pgcrypto digest() computes sha256 correctly'
);

select * from finish();
rollback;
