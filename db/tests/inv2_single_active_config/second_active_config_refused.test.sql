-- INV2: the partial unique index config_versions_one_active_per_workspace allows one ACTIVE
-- version per workspace: a second ACTIVE is refused (23505) even when the lifecycle guard lets
-- the DRAFT -> ACTIVE update through; other workspaces keep their own ACTIVE version.
begin;
\ir ../_support/helpers.psql
select plan(6);

-- SETUP: workspace A with an ACTIVE version and a DRAFT; workspace B with a DRAFT
do $$
declare
  v_a uuid := pg_temp.gn_make_workspace();
  v_b uuid := pg_temp.gn_make_workspace();
  v_a1 text := pg_temp.gn_make_config(v_a, 'a1.xlsx');
  v_a2 text := pg_temp.gn_make_config(v_a, 'a2.xlsx');
  v_b1 text := pg_temp.gn_make_config(v_b, 'b1.xlsx');
begin
  perform pg_temp.gn_activate(v_a1);
  perform pg_temp.gn_set('a', v_a::text);
  perform pg_temp.gn_set('a2', v_a2);
  perform pg_temp.gn_set('b1', v_b1);
end $$;

-- TEST: the index is there, unique, on workspace_id, for ACTIVE rows only
select has_index('public', 'config_versions', 'config_versions_one_active_per_workspace', array['workspace_id'],
  'inv2: index config_versions_one_active_per_workspace is on config_versions (workspace_id)');
select index_is_unique('public', 'config_versions', 'config_versions_one_active_per_workspace',
  'inv2: config_versions_one_active_per_workspace is unique');
select matches(
  (select pg_get_expr(i.indpred, i.indrelid) from pg_index i where i.indexrelid = to_regclass('public.config_versions_one_active_per_workspace')),
  $$status = 'ACTIVE'$$,
  'inv2: config_versions_one_active_per_workspace is partial: where status = ''ACTIVE''');

-- TEST: a second ACTIVE in the same workspace is refused by the index
select throws_ok(
  format('update public.config_versions set status = %L where id::text = %L', 'ACTIVE', pg_temp.gn_get('a2')),
  '23505', 'duplicate key value violates unique constraint "config_versions_one_active_per_workspace"',
  'inv2: a second ACTIVE version in one workspace is refused with 23505');
select is(
  (select count(*)::int from public.config_versions where workspace_id = pg_temp.gn_get('a')::uuid and status = 'ACTIVE'),
  1, 'inv2: the workspace still has exactly one ACTIVE version');

-- TEST: another workspace has its own ACTIVE version
select lives_ok(pg_temp.gn_activate_sql(pg_temp.gn_get('b1')), 'inv2: another workspace can have its own ACTIVE version');

select * from finish();
rollback;
