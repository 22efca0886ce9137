-- Data pre-check of migration 20251229010228_add_master_tables_final_v2
--
-- What it checks: that the rows already in the five baseline tables satisfy every constraint,
-- unique index and NOT NULL the migration adds over them, one rule each (the guarantee's name as
-- the catalog will show it). It changes nothing: it reads, and creates pg_temp functions that it
-- drops again. Beside migration.sql, outside its checksum: editing a rule is not a new migration.
--
-- By hand, before the migration (its exit status says whether to go on):
--   psql -X -v ON_ERROR_STOP=1 -f precheck.sql && psql -X -v ON_ERROR_STOP=1 -f migration.sql
-- Clean data: one row per rule (ok, or n/a when no existing row can violate it: the migration adds
-- the column empty, or id alone is already unique). Rows to fix: ERROR with SQLSTATE ZD003 naming
-- each failing rule, how many rows, up to 10 of their keys, and the fix (psql exits 3).
-- gonogo runs this same file before it applies anything (`gonogo migrate`, `verify --migrate`,
-- `rehearse`) with gonogo.precheck_raise = off, and reads the rows instead of the error.
--
-- What it requires: the five baseline tables. It detects what the migration detects, the same
-- way: each workflow table's status column (status | workflow_status, status | stage_status), and
-- which columns and tables an earlier, interrupted run already added. Its status lists are the
-- migration's CHECK literals; orchestrator/apply/precheck.test.ts proves they agree, and
-- test/integration/migration/precheck_names_every_row_the_migration_would_reject.test.ts that every guarantee the migration adds has a rule.

-- true when public.<table> has the column (an interrupted run, or the application, may have added it)
create or replace function pg_temp.gonogo_precheck_has(p_table text, p_column text)
returns boolean
language sql
stable
as $$
  select exists (
    select from pg_catalog.pg_attribute a
    where a.attrelid = pg_catalog.to_regclass('public.' || p_table) and a.attname = p_column
      and a.attnum > 0 and not a.attisdropped)
$$;

-- `(workspace, id)` duplicates as a query, or null when id alone is already unique (then the pair is too)
create or replace function pg_temp.gonogo_precheck_duplicates(p_table text, p_workspace text, p_from text, p_alias text)
returns text
language sql
stable
as $$
  select case when exists (
      select from pg_catalog.pg_index i
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where i.indrelid = pg_catalog.to_regclass('public.' || p_table) and i.indisunique
        and i.indnkeyatts = 1 and i.indpred is null and a.attname = 'id')
    then null
    else format($q$select w.code as workspace, %2$s.id::text || ' (' || count(*) || ' rows)' as key
         from %3$s left join public.workspaces w on w.id = %1$s
         group by %1$s, %2$s.id, w.code having count(*) > 1$q$, p_workspace, p_alias, p_from)
  end
$$;

-- A new foreign key on columns the baseline may already have, as a query: rows whose non-null
-- values have no target row; null when a column it needs does not exist yet (the migration adds
-- it empty).
create or replace function pg_temp.gonogo_precheck_reference(
  p_table text, p_columns text[], p_target text, p_target_columns text[])
returns text
language sql
stable
as $$
  select case when bool_and(pg_temp.gonogo_precheck_has(p_table, c)) filter (where c <> 'workspace_id')
    then format($q$select w.code as workspace, x.id::text || ' -> ' || %s as key
         from public.%I x left join public.workspaces w on w.id = x.workspace_id
         where %s%s$q$,
      string_agg(format('x.%I::text', c), $s$ || ', ' || $s$ order by k) filter (where c <> 'workspace_id'),
      p_table,
      string_agg(format('x.%I is not null', c), ' and ' order by k),
      case when pg_catalog.to_regclass('public.' || p_target) is not null
        then format(' and not exists (select from public.%I t where %s)', p_target,
          string_agg(format('t.%I = x.%I', p_target_columns[k], c), ' and ' order by k))
        else '' end)
  end
  from unnest(p_columns) with ordinality as u(c, k)
$$;

-- One row per rule, in the order the migration adds what it guards. p_raise: refuse (ZD003) when
-- any rule finds rows, after every rule has run.
create or replace function pg_temp.gonogo_precheck(p_raise boolean)
returns table (
  state text,
  guards text,
  table_name text,
  requirement text,
  unit text,
  applicable boolean,
  count bigint,
  samples jsonb,
  fix text,
  duration_ms integer
)
language plpgsql
as $precheck$
declare
  -- the migration's CHECK literals (config_versions_status_check, workflow_instances_status_check,
  -- workflow_stages_status_check)
  v_config_statuses text[] := array['DRAFT', 'ACTIVE', 'SUPERSEDED'];
  v_instance_statuses text[] := array['IN_PROGRESS', 'COMPLETED', 'REJECTED', 'CANCELLED'];
  v_stage_statuses text[] := array['PENDING', 'IN_PROGRESS', 'APPROVED', 'REJECTED', 'SKIPPED'];
  v_wi_status text;
  v_ws_status text;
  -- a stage's workspace after the migration's backfill: its own, else its instance's
  v_stage_ws text;
  v_instance_join text := 'public.workflow_stages s left join public.workflow_instances i on i.id = s.workflow_instance_id';
  v_rules text[] := '{}';
  v_rule text[];
  v_t0 timestamptz;
  v_codes text;
  v_code_count integer;
  v_failures text[] := '{}';
  v_fixes text[] := '{}';
begin
  -- the migration's own detection of the status columns (its ZD001 pre-flight refuses anything
  -- but exactly one of each pair)
  select a.attname into v_wi_status from pg_catalog.pg_attribute a
  where a.attrelid = pg_catalog.to_regclass('public.workflow_instances') and a.attname in ('status', 'workflow_status') and not a.attisdropped
  order by a.attname <> 'status' limit 1;
  select a.attname into v_ws_status from pg_catalog.pg_attribute a
  where a.attrelid = pg_catalog.to_regclass('public.workflow_stages') and a.attname in ('status', 'stage_status') and not a.attisdropped
  order by a.attname <> 'status' limit 1;
  v_wi_status := coalesce(v_wi_status, 'status');
  v_ws_status := coalesce(v_ws_status, 'status');
  v_stage_ws := case when pg_temp.gonogo_precheck_has('workflow_stages', 'workspace_id')
    then 'coalesce(s.workspace_id, i.workspace_id)' else 'i.workspace_id' end;

  -- Each rule: guards, table, requirement, unit (what one offending row is), the query returning
  -- the offending rows as (workspace, key), null when no existing row can violate it, and the fix
  -- (%s: ' of workspace(s) <codes>' of the sampled rows).
  v_rules := v_rules || array[[
    'workspaces_code_key', 'workspaces', 'workspace codes are unique', 'code',
    $q$select x.code as workspace, string_agg(x.id::text, ', ' order by x.id::text) as key
       from public.workspaces x where x.code is not null group by x.code having count(*) > 1$q$,
    'give each workspace its own code%s (rename or merge the duplicates)']];
  v_rules := v_rules || array[[
    'config_versions_status_check', 'config_versions',
    'config_versions.status is one of ' || array_to_string(v_config_statuses, ', '), 'version',
    format($q$select w.code as workspace, x.id::text || ' status=' || x.status as key
       from public.config_versions x left join public.workspaces w on w.id = x.workspace_id
       where x.status <> all (%L::text[])$q$, v_config_statuses),
    'set these versions'' status%s to ' || array_to_string(v_config_statuses, ', ') || ' (map the legacy values)']];
  v_rules := v_rules || array[[
    'config_versions_workspace_id_id_key', 'config_versions',
    '(workspace_id, id) is unique in config_versions', 'duplicated key',
    pg_temp.gonogo_precheck_duplicates('config_versions', 'x.workspace_id', 'public.config_versions x', 'x'),
    'remove the duplicated config_versions rows%s']];
  v_rules := v_rules || array[[
    'config_versions_one_active_per_workspace', 'config_versions',
    'at most one ACTIVE config version per workspace', 'workspace',
    $q$select w.code as workspace, string_agg(x.id::text, ', ' order by x.id::text) as key
       from public.config_versions x left join public.workspaces w on w.id = x.workspace_id
       where x.status = 'ACTIVE' group by x.workspace_id, w.code having count(*) > 1$q$,
    'supersede all but one ACTIVE version%s']];
  v_rules := v_rules || array[[
    'config_versions_created_by_fkey', 'config_versions',
    'config_versions.created_by names an existing user', 'version',
    pg_temp.gonogo_precheck_reference('config_versions', array['created_by'], 'users', array['id']),
    'set created_by to null or to an existing user on these versions%s']];
  v_rules := v_rules || array[[
    'config_versions_activated_by_fkey', 'config_versions',
    'config_versions.activated_by names an existing user', 'version',
    pg_temp.gonogo_precheck_reference('config_versions', array['activated_by'], 'users', array['id']),
    'set activated_by to null or to an existing user on these versions%s']];
  v_rules := v_rules || array[[
    'workflow_instances_workspace_id_id_key', 'workflow_instances',
    '(workspace_id, id) is unique in workflow_instances', 'duplicated key',
    pg_temp.gonogo_precheck_duplicates('workflow_instances', 'x.workspace_id', 'public.workflow_instances x', 'x'),
    'remove the duplicated workflow_instances rows%s']];
  v_rules := v_rules || array[[
    'workflow_instances_status_check', 'workflow_instances',
    'workflow_instances'' status is one of ' || array_to_string(v_instance_statuses, ', '), 'instance',
    format($q$select w.code as workspace, x.id::text || ' %s=' || x.%I as key
       from public.workflow_instances x left join public.workspaces w on w.id = x.workspace_id
       where x.%I <> all (%L::text[])$q$, v_wi_status, v_wi_status, v_wi_status, v_instance_statuses),
    'set these instances'' status%s to ' || array_to_string(v_instance_statuses, ', ') || ' (map the legacy values)']];
  v_rules := v_rules || array[[
    'workflow_instances_config_version_fkey', 'workflow_instances',
    'each instance''s config version belongs to the instance''s workspace', 'instance',
    $q$select w.code as workspace, x.id::text || ' -> version ' || x.config_version_id::text
         || coalesce(' of ' || ow.code, ' (missing)') as key
       from public.workflow_instances x
       left join public.workspaces w on w.id = x.workspace_id
       left join public.config_versions cv on cv.id = x.config_version_id
       left join public.workspaces ow on ow.id = cv.workspace_id
       where x.workspace_id is not null and x.config_version_id is not null
         and not exists (select from public.config_versions t
                         where t.workspace_id = x.workspace_id and t.id = x.config_version_id)$q$,
    'point these instances%s at a config version of their own workspace (or delete them)']];
  v_rules := v_rules || array[[
    'workflow_instances_workflow_template_fkey', 'workflow_instances',
    'workflow_instances.workflow_template_id names a template of the instance''s version', 'instance',
    pg_temp.gonogo_precheck_reference('workflow_instances',
      array['workspace_id', 'config_version_id', 'workflow_template_id'],
      'master_workflow_templates', array['workspace_id', 'config_version_id', 'id']),
    'set workflow_template_id to null on these instances%s']];
  v_rules := v_rules || array[[
    'workflow_instances_site_fkey', 'workflow_instances',
    'workflow_instances.site_id names a site of the instance''s version', 'instance',
    pg_temp.gonogo_precheck_reference('workflow_instances',
      array['workspace_id', 'config_version_id', 'site_id'],
      'master_sites', array['workspace_id', 'config_version_id', 'id']),
    'set site_id to null on these instances%s']];
  v_rules := v_rules || array[[
    'workflow_instances_started_by_fkey', 'workflow_instances',
    'workflow_instances.started_by names an existing user', 'instance',
    pg_temp.gonogo_precheck_reference('workflow_instances', array['started_by'], 'users', array['id']),
    'set started_by to null or to an existing user on these instances%s']];
  v_rules := v_rules || array[[
    'workflow_instances_started_by_member_fkey', 'workflow_instances',
    'workflow_instances.started_by is a member of the instance''s workspace', 'instance',
    pg_temp.gonogo_precheck_reference('workflow_instances', array['workspace_id', 'started_by'],
      'workspace_members', array['workspace_id', 'user_id']),
    'set started_by to null on these instances%s, or add the users as members']];
  v_rules := v_rules || array[[
    'workflow_stages.workspace_id NOT NULL', 'workflow_stages',
    'every stage gets a workspace from its instance (the backfill before NOT NULL)', 'stage',
    format($q$select null::text as workspace, s.id::text || ' -> missing instance ' || s.workflow_instance_id::text as key
       from %s where i.id is null%s$q$, v_instance_join,
       case when pg_temp.gonogo_precheck_has('workflow_stages', 'workspace_id') then ' and s.workspace_id is null' else '' end),
    'delete these orphaned stages (their instance no longer exists) or restore the instances']];
  v_rules := v_rules || array[[
    'workflow_stages_workspace_id_id_key', 'workflow_stages',
    '(workspace_id, id) is unique in workflow_stages', 'duplicated key',
    pg_temp.gonogo_precheck_duplicates('workflow_stages', v_stage_ws, v_instance_join, 's'),
    'remove the duplicated workflow_stages rows%s']];
  v_rules := v_rules || array[[
    'workflow_stages_instance_order_key', 'workflow_stages',
    '(workflow_instance_id, stage_order) is unique', 'instance',
    case when pg_temp.gonogo_precheck_has('workflow_stages', 'stage_order') then
      format($q$select w.code as workspace, s.workflow_instance_id::text || ' stage_order=' || s.stage_order
           || ': ' || string_agg(s.id::text, ', ' order by s.id::text) as key
         from %s left join public.workspaces w on w.id = %s
         where s.stage_order is not null
         group by s.workflow_instance_id, s.stage_order, w.code having count(*) > 1$q$, v_instance_join, v_stage_ws)
    end,
    'renumber stage_order within these instances%s so no two stages share one']];
  v_rules := v_rules || array[[
    'workflow_stages_stage_order_check', 'workflow_stages', 'stage_order > 0', 'stage',
    case when pg_temp.gonogo_precheck_has('workflow_stages', 'stage_order') then
      format($q$select w.code as workspace, s.id::text || ' stage_order=' || s.stage_order as key
         from %s left join public.workspaces w on w.id = %s
         where s.stage_order <= 0$q$, v_instance_join, v_stage_ws)
    end,
    'renumber these stages%s from 1']];
  v_rules := v_rules || array[[
    'workflow_stages_status_check', 'workflow_stages',
    'workflow_stages'' status is one of ' || array_to_string(v_stage_statuses, ', '), 'stage',
    format($q$select w.code as workspace, s.id::text || ' %s=' || s.%I as key
       from %s left join public.workspaces w on w.id = %s
       where s.%I <> all (%L::text[])$q$, v_ws_status, v_ws_status, v_instance_join, v_stage_ws, v_ws_status, v_stage_statuses),
    'set these stages'' status%s to ' || array_to_string(v_stage_statuses, ', ') || ' (map the legacy values)']];
  v_rules := v_rules || array[[
    'workflow_stages_workspace_id_fkey', 'workflow_stages', 'each stage''s workspace exists', 'stage',
    format($q$select null::text as workspace, s.id::text || ' -> workspace ' || %s::text as key
       from %s
       where %s is not null
         and not exists (select from public.workspaces t where t.id = %s)$q$, v_stage_ws, v_instance_join, v_stage_ws, v_stage_ws),
    'delete these stages or restore their workspaces']];
  v_rules := v_rules || array[[
    'workflow_stages_instance_fkey', 'workflow_stages',
    'each stage belongs to its instance''s workspace', 'stage',
    case when pg_temp.gonogo_precheck_has('workflow_stages', 'workspace_id') then
      format($q$select w.code as workspace, s.id::text || ' -> instance ' || s.workflow_instance_id::text as key
         from %s left join public.workspaces w on w.id = s.workspace_id
         where s.workspace_id is not null and i.id is not null and i.workspace_id <> s.workspace_id$q$, v_instance_join)
    end,
    'set workspace_id on these stages%s to their instance''s workspace']];
  v_rules := v_rules || array[[
    'workflow_stages_stage_template_fkey', 'workflow_stages',
    'workflow_stages.stage_template_id names a stage template of the stage''s workspace', 'stage',
    case when pg_temp.gonogo_precheck_has('workflow_stages', 'stage_template_id') then
      format($q$select null::text as workspace, s.id::text || ' -> stage template ' || s.stage_template_id::text as key
         from %s
         where s.stage_template_id is not null%s$q$, v_instance_join,
         case when pg_catalog.to_regclass('public.master_stage_templates') is not null then format(
           $c$ and not exists (select from public.master_stage_templates t where t.workspace_id = %s and t.id = s.stage_template_id)$c$,
           v_stage_ws) else '' end)
    end,
    'set stage_template_id to null on these stages']];

  -- Run each rule: the total and at most 10 samples (workspace first, then key), in one statement.
  foreach v_rule slice 1 in array v_rules loop
    v_t0 := pg_catalog.clock_timestamp();
    guards := v_rule[1];
    table_name := v_rule[2];
    requirement := v_rule[3];
    unit := v_rule[4];
    applicable := v_rule[5] is not null;
    count := 0;
    samples := '[]';
    v_codes := null;
    v_code_count := 0;
    if applicable then
      execute format(
        $q$select coalesce(max(c.total), 0),
             coalesce(jsonb_agg(jsonb_build_object('workspace', c.workspace, 'key', c.key)
                                order by c.workspace nulls last, c.key), '[]'),
             string_agg(distinct c.workspace, ', ' order by c.workspace),
             count(distinct c.workspace)
           from (select count(*) over () as total, q.workspace, q.key from (%s) q
                 order by q.workspace nulls last, q.key limit 10) c$q$, v_rule[5])
        into count, samples, v_codes, v_code_count;
    end if;
    fix := case when count > 0 then format(v_rule[6],
        case when v_code_count = 0 then ''
             else ' of workspace' || case when v_code_count > 1 then 's' else '' end || ' ' || v_codes end)
      || ', then apply again' else '' end;
    state := case when not applicable then 'n/a' when count = 0 then 'ok' else 'FAIL' end;
    duration_ms := round(extract(epoch from pg_catalog.clock_timestamp() - v_t0) * 1000);
    if count > 0 then
      v_failures := v_failures || format('%s: %s %s%s (%s%s)', guards, count, unit,
        case when count = 1 then '' else 's' end,
        (select string_agg(coalesce(e ->> 'workspace' || ': ', '') || (e ->> 'key'), '; ')
         from jsonb_array_elements(samples) e),
        case when count > jsonb_array_length(samples) then '; ...' else '' end);
      v_fixes := v_fixes || fix;
    end if;
    return next;
  end loop;
  if p_raise and cardinality(v_failures) > 0 then
    raise exception 'data pre-check: existing rows violate what the migration adds: %', array_to_string(v_failures, ' | ')
      using errcode = 'ZD003', hint = array_to_string(v_fixes, '; ');
  end if;
end
$precheck$;

select * from pg_temp.gonogo_precheck(coalesce(nullif(current_setting('gonogo.precheck_raise', true), ''), 'on')::boolean);

drop function pg_temp.gonogo_precheck(boolean);
drop function pg_temp.gonogo_precheck_reference(text, text[], text, text[]);
drop function pg_temp.gonogo_precheck_duplicates(text, text, text, text);
drop function pg_temp.gonogo_precheck_has(text, text);
