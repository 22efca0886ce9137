-- C5: the composite foreign keys carry the scope of every reference, not only the workspace: an
-- instance cannot run on another workspace's template or site, a master row cannot point at a row
-- of another config version of its own workspace, and an approval must be made by a member of the
-- approval's workspace (23503).
begin;
\ir ../_support/helpers.psql
select plan(4);

-- SETUP: two busy workspaces; a DRAFT in A to write master rows into
do $$
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_set('a_draft', pg_temp.gn_make_config(pg_temp.gn_get('a_ws')::uuid, 'draft.xlsx'));
end $$;

-- TEST: an instance of A on A's ACTIVE version cannot use B's template or B's site
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, workflow_template_id, started_by)
    select cv.workspace_id, cv.id, (select id from public.master_workflow_templates where workspace_id = %L), %L
    from public.config_versions cv where cv.id::text = %L$$,
    pg_temp.gn_get('b_ws'), pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_cv')),
  '23503', 'insert or update on table "workflow_instances" violates foreign key constraint "workflow_instances_workflow_template_fkey"',
  'c5: an instance of workspace A cannot run on a workflow template of workspace B');
select throws_ok(
  format($$insert into public.workflow_instances (workspace_id, config_version_id, site_id, started_by)
    select cv.workspace_id, cv.id, (select id from public.master_sites where workspace_id = %L), %L
    from public.config_versions cv where cv.id::text = %L$$,
    pg_temp.gn_get('b_ws'), pg_temp.gn_get('a_u1'), pg_temp.gn_get('a_cv')),
  '23503', 'insert or update on table "workflow_instances" violates foreign key constraint "workflow_instances_site_fkey"',
  'c5: an instance of workspace A cannot run on a site of workspace B');

-- TEST: a master row of A's DRAFT cannot point at a row of A's ACTIVE version
select throws_ok(
  format($$insert into public.master_approval_rules (workspace_id, config_version_id, stage_template_id, approver_role)
    select cv.workspace_id, cv.id, (select id from public.master_stage_templates where config_version_id::text = %L and stage_order = 1), 'ADMIN'
    from public.config_versions cv where cv.id::text = %L$$,
    pg_temp.gn_get('a_cv'), pg_temp.gn_get('a_draft')),
  '23503', 'insert or update on table "master_approval_rules" violates foreign key constraint "master_approval_rules_stage_template_fkey"',
  'c5: an approval rule of one config version cannot name a stage template of another version of the same workspace');

-- TEST: an approval in A is made by a member of A
select throws_ok(
  format($$insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision)
    values (%L, %L, %L, %L, 'APPROVED')$$, pg_temp.gn_get('a_ws'), pg_temp.gn_get('a_i'), pg_temp.gn_get('a_s2'), pg_temp.gn_get('b_u2')),
  '23503', 'insert or update on table "workflow_approvals" violates foreign key constraint "workflow_approvals_approver_member_fkey"',
  'c5: an approval in workspace A cannot be made by a member of workspace B only');

select * from finish();
rollback;
