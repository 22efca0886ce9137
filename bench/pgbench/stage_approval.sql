-- A stage approval: the approver of the open stage of a pool instance approves it through
-- public.decide_stage (approval row, stage APPROVED, next stage IN_PROGRESS or instance COMPLETED).
-- With triggers: the audit trigger logs the approval and each stage/instance update, the
-- instance guard runs on the instance update. Clients draw from disjoint halves of the pool
-- (client_id), so two sessions never decide the same stage.
-- pgbench -D workspaces=N -D pool=P -D clients=C (bench/sql/trigger_cost_setup.sql)
\set r random(0, :pool / :clients - 1)
\set p :r * :clients + :client_id + 1
select public.decide_stage(
  s.id,
  'bench-u' || (:p % :workspaces + 1) || case when s.stage_order % 2 = 1 then '-2' else '-1' end,
  'APPROVED')
from public.workflow_stages s
where s.workflow_instance_id = md5('pool' || :p)::uuid and s.status = 'IN_PROGRESS';
