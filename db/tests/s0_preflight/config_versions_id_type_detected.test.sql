-- Section 0, step 3: config_versions.id is uuid or text; everything typed after it depends on it.
begin;
\ir ../_support/helpers.psql
select plan(3);

-- TEST: the type is detected and reported
select diag('section0.configVersionsIdType: ' || pg_temp.gn_cv_type()) where pg_temp.gn_cv_type() is not null;
select has_column('public', 'config_versions', 'id', 's0: config_versions has an id column');
select ok(
  pg_temp.gn_cv_type() in ('uuid', 'text'),
  's0: config_versions.id type is uuid or text, found ' || coalesce(pg_temp.gn_cv_type(), 'nothing')
);


-- TEST: the migration typed its config_version_id columns after the detected type
select is(pg_temp.gn_column_type('master_sites', 'config_version_id'), pg_temp.gn_cv_type(),
  's0: the migrated master tables use the detected config_versions.id type');

select * from finish();
rollback;
