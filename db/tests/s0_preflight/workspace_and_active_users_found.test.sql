-- Section 0, steps 5-6: the workspace under test exists and at least two users are active.
-- Workspace: gonogo.workspace when set, else XLSMART-AVIAT when present, else TEST-WS.
-- When it is missing, the failure names it and lists the workspace codes that do exist (at most 10).
begin;
\ir ../_support/helpers.psql
select plan(3);

-- SETUP: resolve the workspace under test
do $$
declare
  v_code text := nullif(current_setting('gonogo.workspace', true), '');
  v_id uuid;
begin
  if to_regclass('public.workspaces') is null then
    return;
  end if;
  if v_code is null then
    v_code := case when exists (select from public.workspaces w where w.code = 'XLSMART-AVIAT')
      then 'XLSMART-AVIAT' else 'TEST-WS' end;
  end if;
  select w.id into v_id from public.workspaces w where w.code = v_code;
  perform pg_temp.gn_set('s0_code', v_code);
  perform pg_temp.gn_set('s0_workspace', v_id::text);
  if v_id is null then
    perform pg_temp.gn_set('s0_existing', coalesce(
      (select string_agg(w.code, ', ' order by w.code)
       from (select w2.code from public.workspaces w2 order by w2.code limit 10) w)
      || case when (select count(*) from public.workspaces) > 10
           then format(' (10 of %s)', (select count(*) from public.workspaces)) else '' end,
      'none'));
  end if;
  if to_regclass('public.users') is not null then
    perform pg_temp.gn_set('s0_active_users',
      (select count(*) from public.users u where upper(u.status) = 'ACTIVE')::text);
  end if;
end $$;

-- TEST: workspace found, reported with its id and code; when missing, the codes that exist
select diag('section0.workspaceId: ' || pg_temp.gn_get('s0_workspace')) where pg_temp.gn_get('s0_workspace') is not null;
select diag('section0.workspaceCode: ' || pg_temp.gn_get('s0_code')) where pg_temp.gn_get('s0_code') is not null;
select diag('section0.existingWorkspaces: ' || pg_temp.gn_get('s0_existing')) where pg_temp.gn_get('s0_existing') is not null;
select ok(
  pg_temp.gn_get('s0_workspace') is not null,
  case
    when pg_temp.gn_get('s0_code') is null then 's0: workspace under test not found: no workspaces table'
    when pg_temp.gn_get('s0_workspace') is null then
      's0: workspace ' || pg_temp.gn_get('s0_code') || ' not found; workspaces that exist: ' || pg_temp.gn_get('s0_existing')
    else 's0: workspace under test found: ' || pg_temp.gn_get('s0_code')
  end
);

-- TEST: at least two active users, reported with their count
select diag('section0.activeUsers: ' || pg_temp.gn_get('s0_active_users')) where pg_temp.gn_get('s0_active_users') is not null;
select has_column('public', 'users', 'status', 's0: users has a status column');
select cmp_ok(
  coalesce(pg_temp.gn_get('s0_active_users')::int, 0), '>=', 2,
  's0: at least two users are ACTIVE'
);

select * from finish();
rollback;
