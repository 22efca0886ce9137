-- Normalised pg_dump --schema-only --no-owner of the uuid baseline + migrations + functions.
-- Regenerate with: npm run schema:dump

--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: apms_private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA apms_private;

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: caller_scope(); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.caller_scope(OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text) RETURNS record
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_role name := coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user);
begin
  select r.rolsuper or r.rolbypassrls
         or pg_catalog.pg_has_role(r.oid, (select c.relowner from pg_catalog.pg_class c
                                           where c.oid = 'public.config_versions'::pg_catalog.regclass), 'USAGE')
  into unrestricted
  from pg_catalog.pg_roles r where r.rolname = v_role;
  select c.workspace_id, c.user_id into workspace_id, user_id from apms_private.verified_context() c;
end
$$;

--
-- Name: hmac_pad(bytea, integer); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.hmac_pad(p_key bytea, p_pad integer) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE STRICT
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_block bytea := p_key || pg_catalog.decode(pg_catalog.repeat('00', 64 - pg_catalog.octet_length(p_key)), 'hex');
begin
  for v_i in 0 .. 63 loop
    v_block := pg_catalog.set_byte(v_block, v_i, pg_catalog.get_byte(v_block, v_i) # p_pad);
  end loop;
  return v_block;
end
$$;

--
-- Name: require_member(uuid, text, text, text[]); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.require_member(p_workspace_id uuid, p_user_id text, p_action text, p_roles text[] DEFAULT NULL::text[]) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if not exists (select from public.workspace_members m join public.users u on u.id = m.user_id
                 where m.workspace_id = require_member.p_workspace_id and m.user_id = require_member.p_user_id
                   and m.status = 'ACTIVE' and u.status = 'ACTIVE'
                   and (require_member.p_roles is null or m.role = any (require_member.p_roles))) then
    raise exception 'user % may not %: not an ACTIVE % of workspace %', coalesce(p_user_id, 'null'), p_action,
      coalesce(pg_catalog.array_to_string(p_roles, ' or ') || ' member', 'member'), p_workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

--
-- Name: scope_of_row(text, uuid); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.scope_of_row(p_table text, p_workspace_id uuid, OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text) RETURNS record
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  select s.unrestricted, s.workspace_id, s.user_id into unrestricted, workspace_id, user_id
  from apms_private.caller_scope() s;
  if not unrestricted and (scope_of_row.workspace_id is null or p_workspace_id is distinct from scope_of_row.workspace_id) then
    raise exception 'new row violates row-level security policy for table "%"', p_table
      using errcode = '42501';
  end if;
end
$$;

--
-- Name: sign_context(uuid, text, text, interval, integer); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.sign_context(p_workspace_id uuid, p_user_id text, p_key_id text DEFAULT NULL::text, p_ttl interval DEFAULT '00:05:00'::interval, p_pid integer DEFAULT pg_backend_pid()) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_key apms_private.context_keys%rowtype;
  v_expires bigint := pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.now() + sign_context.p_ttl))::bigint;
  v_signed text;
begin
  select k.* into v_key from apms_private.context_keys k
  where k.revoked_at is null and (sign_context.p_key_id is null or k.id = sign_context.p_key_id)
  order by k.created_at desc, k.id limit 1;
  if not found then
    raise exception 'no key to sign with: apms_private.context_keys has no % key', coalesce(p_key_id, 'unrevoked')
      using errcode = '28000', hint = 'insert one: insert into apms_private.context_keys (id, secret) values (''app-1'', gen_random_bytes(32))';
  end if;
  v_signed := pg_catalog.concat_ws('.', 'v1', v_key.id, p_pid, v_expires, p_workspace_id, p_user_id);
  return pg_catalog.concat_ws('.', 'v1', v_key.id, p_pid, v_expires, p_workspace_id,
    pg_catalog.encode(pg_catalog.sha256(v_key.outer_pad || pg_catalog.sha256(v_key.inner_pad || pg_catalog.convert_to(v_signed, 'UTF8'))), 'hex'),
    p_user_id);
end
$$;

--
-- Name: verified_context(); Type: FUNCTION; Schema: apms_private; Owner: -
--

CREATE FUNCTION apms_private.verified_context(OUT workspace_id uuid, OUT user_id text) RETURNS record
    LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_token text := nullif(pg_catalog.current_setting('app.context', true), '');
  v_key_id text;
  v_pid text;
  v_expires text;
  v_workspace text;
  v_mac text;
  v_user text;
  v_inner bytea;
  v_outer bytea;
  v_now bigint := pg_catalog.floor(pg_catalog.date_part('epoch', pg_catalog.now()))::bigint;
begin
  if v_token is null then
    return;
  end if;
  v_key_id := pg_catalog.split_part(v_token, '.', 2);
  v_pid := pg_catalog.split_part(v_token, '.', 3);
  v_expires := pg_catalog.split_part(v_token, '.', 4);
  v_workspace := pg_catalog.split_part(v_token, '.', 5);
  v_mac := pg_catalog.split_part(v_token, '.', 6);
  -- the user id is the rest: it may contain dots
  v_user := pg_catalog.substr(v_token, 9 + pg_catalog.length(v_key_id) + pg_catalog.length(v_pid)
    + pg_catalog.length(v_expires) + pg_catalog.length(v_workspace) + pg_catalog.length(v_mac));
  if pg_catalog.split_part(v_token, '.', 1) <> 'v1' or v_pid !~ '^[0-9]{1,10}$' or v_expires !~ '^[0-9]{1,12}$'
     or pg_catalog.length(v_workspace) <> 36 or pg_catalog.length(v_mac) <> 64 or v_user = '' then
    raise exception 'app.context refused: not a v1 token'
      using errcode = '28000', hint = 'docs/security.md gives the format: v1.<key>.<pid>.<expires>.<workspace>.<hmac>.<user>';
  end if;
  select k.inner_pad, k.outer_pad into v_inner, v_outer
  from apms_private.context_keys k
  where k.id = v_key_id and k.revoked_at is null;
  if not found then
    raise exception 'app.context refused: key % is unknown or revoked', v_key_id
      using errcode = '28000', hint = 'sign with a key of apms_private.context_keys that is not revoked';
  end if;
  -- compared as digests of both sides: the time a mismatch takes says nothing about the right value
  if pg_catalog.sha256(pg_catalog.convert_to(v_mac, 'UTF8'))
     <> pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.encode(pg_catalog.sha256(v_outer || pg_catalog.sha256(v_inner
          || pg_catalog.convert_to(pg_catalog.concat_ws('.', 'v1', v_key_id, v_pid, v_expires, v_workspace, v_user), 'UTF8'))),
        'hex'), 'UTF8')) then
    raise exception 'app.context refused: the signature does not verify'
      using errcode = '28000', hint = 'HMAC-SHA256 of v1.<key>.<pid>.<expires>.<workspace>.<user> with the key, in lowercase hex';
  end if;
  if v_pid::bigint <> pg_catalog.pg_backend_pid() then
    raise exception 'app.context refused: signed for backend %, this is backend %', v_pid, pg_catalog.pg_backend_pid()
      using errcode = '28000', hint = 'sign each context for the connection that sets it (its backend pid)';
  end if;
  if v_expires::bigint < v_now then
    raise exception 'app.context refused: expired % s ago', v_now - v_expires::bigint
      using errcode = '28000', hint = 'sign a fresh context for each transaction';
  end if;
  if v_expires::bigint > v_now + 3600 then
    raise exception 'app.context refused: valid for % s, more than an hour', v_expires::bigint - v_now
      using errcode = '28000', hint = 'sign a context for minutes, not hours';
  end if;
  workspace_id := v_workspace::uuid;
  user_id := v_user;
end
$_$;

--
-- Name: activate_config_version(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.activate_config_version(p_config_version_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record;
  v_workspace_id uuid;
  v_status text;
  v_actor text;
begin
  v_scope := apms_private.caller_scope();
  select cv.workspace_id into v_workspace_id
  from public.config_versions cv
  where cv.id = activate_config_version.p_config_version_id
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot activate config version %: it does not exist', p_config_version_id
      using errcode = 'ZA005';
  end if;
  if v_scope.unrestricted then
    -- activated_by only when the actor is a known user (it is a foreign key to users)
    select u.id into v_actor from public.users u where u.id = public.current_actor();
  else
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'activate a config version');
    v_actor := v_scope.user_id;
  end if;

  perform from public.workspaces w where w.id = v_workspace_id for no key update;

  -- re-read under the lock: the session that held it may have changed this version meanwhile
  select cv.status into v_status
  from public.config_versions cv
  where cv.id = activate_config_version.p_config_version_id
  for update;
  if v_status is distinct from 'DRAFT' then
    raise exception 'cannot activate config version %: it is %, only a DRAFT version can be activated',
      p_config_version_id, coalesce(v_status, 'missing')
      using errcode = 'ZA005';
  end if;

  update public.config_versions cv
  set status = 'SUPERSEDED', superseded_at = pg_catalog.now()
  where cv.workspace_id = v_workspace_id and cv.status = 'ACTIVE';

  update public.config_versions cv
  set status = 'ACTIVE', activated_at = pg_catalog.now(), activated_by = v_actor
  where cv.id = activate_config_version.p_config_version_id;
end
$$;

--
-- Name: audit_row_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
begin
  if tg_table_schema <> 'public'
     or tg_table_name <> all (public.audited_tables()) then
    perform public.refuse_foreign_table('audit_row_change', tg_table_schema, tg_table_name);
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    v_old := pg_catalog.to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_new := pg_catalog.to_jsonb(new);
  end if;
  v_row := coalesce(v_new, v_old);
  insert into public.audit_logs (workspace_id, table_name, row_id, action, actor, old_values, new_values)
  values ((v_row ->> 'workspace_id')::uuid, tg_table_name, v_row ->> 'id', tg_op, public.current_actor(), v_old, v_new);
  return null;
end
$$;

--
-- Name: audited_tables(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audited_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select array[
    'config_versions', 'workflow_instances', 'workflow_stages', 'workspace_members',
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types',
    'workflow_approvals', 'workflow_stage_documents'
  ]::text[]
$$;

--
-- Name: current_actor(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.current_actor() RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(s.user_id,
    case when s.unrestricted then nullif(pg_catalog.current_setting('app.user_id', true), '') end,
    session_user::pg_catalog.text)
  from apms_private.caller_scope() s
$$;

--
-- Name: current_user_id(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.current_user_id() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select c.user_id from apms_private.verified_context() c
$$;

--
-- Name: current_workspace(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.current_workspace() RETURNS TABLE(id uuid, code text, name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select w.id, w.code, w.name from public.workspaces w where w.id = public.current_workspace_id()
$$;

--
-- Name: current_workspace_id(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.current_workspace_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL RESTRICTED
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select c.workspace_id from apms_private.verified_context() c
$$;

--
-- Name: decide_stage(uuid, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.decide_stage(p_stage_id uuid, p_approver_id text, p_decision text, p_comment text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_instance_status_column text := public.status_column_of('public.workflow_instances');
  v_stage_status_column text := public.status_column_of('public.workflow_stages');
  v_workspace_id uuid;
  v_instance_id uuid;
  v_stage_template_id uuid;
  v_stage_status text;
  v_role text;
  v_required integer;
  v_approvals integer;
  v_next_stage_id uuid;
  v_scope record := apms_private.caller_scope();
  -- who acts: the verified context's user; in an unrestricted session, app.user_id when it is set
  v_session_user text := case when v_scope.unrestricted then nullif(pg_catalog.current_setting('app.user_id', true), '')
                              else v_scope.user_id end;
  -- an unrestricted session that names nobody is audited under the approver for the call
  v_audit_as text := case when v_scope.unrestricted and v_session_user is null then p_approver_id end;
begin
  if p_decision is null or p_decision not in ('APPROVED', 'REJECTED') then
    raise exception 'invalid decision %: use APPROVED or REJECTED', coalesce(p_decision, 'null')
      using errcode = '22023';
  end if;

  select s.workspace_id, s.workflow_instance_id into v_workspace_id, v_instance_id
  from public.workflow_stages s
  where s.id = decide_stage.p_stage_id
    and (v_scope.unrestricted or s.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot decide stage %: it does not exist in this workspace', p_stage_id
      using errcode = 'ZB003';
  end if;

  if (v_session_user is not null or not v_scope.unrestricted) and v_session_user is distinct from decide_stage.p_approver_id then
    raise exception 'approver % is not the session''s user %: an approval is recorded and audited under one name',
      p_approver_id, v_session_user
      using errcode = 'ZB006', hint = 'decide with p_approver_id = public.current_user_id() (an unrestricted session: app.user_id, or leave it unset)';
  end if;
  if v_audit_as is not null then
    perform pg_catalog.set_config('app.user_id', v_audit_as, true);
  end if;

  -- one decision at a time per instance, then re-read the stage under the lock
  perform 1 from public.workflow_instances i where i.id = v_instance_id for update;
  execute format('select s.stage_template_id, s.%I from public.workflow_stages s where s.id = $1 for update',
    v_stage_status_column)
  into v_stage_template_id, v_stage_status
  using p_stage_id;
  if v_stage_status is distinct from 'IN_PROGRESS' then
    raise exception 'cannot decide stage %: it is %, only an IN_PROGRESS stage can be decided', p_stage_id, v_stage_status
      using errcode = 'ZB003';
  end if;

  select m.role into v_role
  from public.workspace_members m
  join public.users u on u.id = m.user_id
  where m.workspace_id = v_workspace_id
    and m.user_id = decide_stage.p_approver_id
    and m.status = 'ACTIVE'
    and u.status = 'ACTIVE';
  if not found then
    raise exception 'approver % may not decide stage %: not an ACTIVE member of workspace %', p_approver_id, p_stage_id, v_workspace_id
      using errcode = 'ZB004';
  end if;

  select r.min_approvals into v_required
  from public.master_approval_rules r
  where r.workspace_id = v_workspace_id and r.stage_template_id = v_stage_template_id and r.approver_role = v_role;
  if not found then
    raise exception 'approver % may not decide stage %: role % is not an approver role of this stage', p_approver_id, p_stage_id, v_role
      using errcode = 'ZB004',
            hint = 'the stage''s approval rules (master_approval_rules) name the roles that decide it';
  end if;

  insert into public.workflow_approvals (workspace_id, workflow_instance_id, workflow_stage_id, approver_id, decision, comment)
  values (v_workspace_id, v_instance_id, p_stage_id, p_approver_id, p_decision, p_comment);

  if p_decision = 'REJECTED' then
    execute format('update public.workflow_stages s set %I = $2, decided_at = pg_catalog.now() where s.id = $1',
      v_stage_status_column)
    using p_stage_id, 'REJECTED';
    execute format('update public.workflow_stages s set %1$I = $2 where s.workflow_instance_id = $1 and s.%1$I = $3',
      v_stage_status_column)
    using v_instance_id, 'SKIPPED', 'PENDING';
    execute format('update public.workflow_instances i set %I = $2, completed_at = pg_catalog.now() where i.id = $1',
      v_instance_status_column)
    using v_instance_id, 'REJECTED';
    if v_audit_as is not null then
      perform pg_catalog.set_config('app.user_id', '', true);
    end if;
    return;
  end if;

  -- the stage stays open until its rule's min_approvals approvers of that role have approved
  select count(*) into v_approvals
  from public.workflow_approvals a
  join public.workspace_members m on m.workspace_id = a.workspace_id and m.user_id = a.approver_id
  where a.workflow_stage_id = decide_stage.p_stage_id and a.decision = 'APPROVED' and m.role = v_role;
  if v_approvals < v_required then
    if v_audit_as is not null then
      perform pg_catalog.set_config('app.user_id', '', true);
    end if;
    return;
  end if;

  execute format('update public.workflow_stages s set %I = $2, decided_at = pg_catalog.now() where s.id = $1',
    v_stage_status_column)
  using p_stage_id, 'APPROVED';

  execute format('select s.id from public.workflow_stages s where s.workflow_instance_id = $1 and s.%I = $2
                  order by s.stage_order limit 1', v_stage_status_column)
  into v_next_stage_id
  using v_instance_id, 'PENDING';

  if v_next_stage_id is not null then
    execute format('update public.workflow_stages s set %I = $2, started_at = pg_catalog.now() where s.id = $1',
      v_stage_status_column)
    using v_next_stage_id, 'IN_PROGRESS';
  else
    execute format('update public.workflow_instances i set %I = $2, completed_at = pg_catalog.now() where i.id = $1',
      v_instance_status_column)
    using v_instance_id, 'COMPLETED';
  end if;
  if v_audit_as is not null then
    perform pg_catalog.set_config('app.user_id', '', true);
  end if;
end
$_$;

--
-- Name: discard_config_version(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.discard_config_version(p_config_version_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record := apms_private.caller_scope();
  v_workspace_id uuid;
begin
  select cv.workspace_id into v_workspace_id
  from public.config_versions cv
  where cv.id = discard_config_version.p_config_version_id
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot discard config version %: it does not exist', p_config_version_id
      using errcode = 'ZA005';
  end if;
  if not v_scope.unrestricted then
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'discard a config version');
  end if;
  delete from public.config_versions cv where cv.id = discard_config_version.p_config_version_id;
end
$$;

--
-- Name: fill_stage_workspace_id(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fill_stage_workspace_id() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  select i.workspace_id into new.workspace_id
  from public.workflow_instances i
  where i.id = new.workflow_instance_id;
  return new;
end
$$;

--
-- Name: guard_config_version(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.guard_config_version() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  -- lifecycle bookkeeping columns may change with the status; everything else is frozen
  v_lifecycle_columns text[] := array['status', 'activated_at', 'activated_by', 'superseded_at', 'updated_at'];
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'config_versions' then
    perform public.refuse_foreign_table('guard_config_version', tg_table_schema, tg_table_name);
  end if;
  if tg_op = 'DELETE' then
    v_scope := apms_private.scope_of_row(tg_table_name, old.workspace_id);
    if old.status = 'ACTIVE' then
      raise exception 'cannot delete ACTIVE config version: running workflows and the workspace depend on it (id %)', old.id
        using errcode = 'ZA001',
              hint = 'activate another version first; this one then becomes SUPERSEDED';
    end if;
    return old;
  end if;

  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if tg_op = 'INSERT' then
    if new.status is distinct from 'DRAFT' or new.activated_at is not null or new.activated_by is not null
       or new.superseded_at is not null then
      raise exception 'cannot insert config version as %: a new config version must start as DRAFT, never activated (id %)',
        coalesce(new.status, 'null'), new.id
        using errcode = 'ZA004',
              hint = 'insert it as DRAFT, load its master rows, then call public.activate_config_version()';
    end if;
    if not v_scope.unrestricted then
      if new.created_by is distinct from v_scope.user_id and new.created_by is not null then
        raise exception 'created_by % is not the session''s user %: a session authors its own config versions',
          new.created_by, v_scope.user_id
          using errcode = 'ZB006', hint = 'leave created_by empty: it is set to the session''s user';
      end if;
      new.created_by := v_scope.user_id;
    end if;
    return new;
  end if;

  if new.status is distinct from old.status
     and not ((old.status = 'DRAFT' and new.status = 'ACTIVE') or (old.status = 'ACTIVE' and new.status = 'SUPERSEDED')) then
    raise exception 'illegal config status transition % -> %: only DRAFT -> ACTIVE and ACTIVE -> SUPERSEDED are allowed (id %)',
      old.status, coalesce(new.status, 'null'), old.id
      using errcode = 'ZA002';
  end if;

  if old.status <> 'DRAFT' and (pg_catalog.to_jsonb(new) - v_lifecycle_columns) <> (pg_catalog.to_jsonb(old) - v_lifecycle_columns) then
    raise exception 'cannot change config version: it is % and frozen, only a DRAFT version can be edited (id %)', old.status, old.id
      using errcode = 'ZA003',
            hint = 'create a new DRAFT version with the change and activate it';
  end if;
  return new;
end
$$;

--
-- Name: guard_config_version_truncate(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.guard_config_version_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'config_versions' then
    perform public.refuse_foreign_table('guard_config_version_truncate', tg_table_schema, tg_table_name);
  end if;
  if exists (select from public.config_versions cv where cv.status = 'ACTIVE') then
    raise exception 'cannot truncate config_versions: it holds ACTIVE config versions that running workflows depend on'
      using errcode = 'ZA001',
            hint = 'delete DRAFT or SUPERSEDED versions row by row instead';
  end if;
  return null;
end
$$;

--
-- Name: guard_master_row(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.guard_master_row() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_status text;
  v_scope record;
begin
  if tg_table_schema <> 'public'
     or tg_table_name <> all (public.master_tables()) then
    perform public.refuse_foreign_table('guard_master_row', tg_table_schema, tg_table_name);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
    select cv.status into v_status from public.config_versions cv
    where cv.id = new.config_version_id and cv.workspace_id = new.workspace_id;
    if found and v_status <> 'DRAFT' then
      raise exception 'cannot % % row: config version % is %, only a DRAFT version''s master rows can change',
        pg_catalog.lower(tg_op), tg_table_name, new.config_version_id, v_status
        using errcode = 'ZA003',
              hint = 'create a new DRAFT version with the change and activate it';
    end if;
  end if;

  if tg_op in ('UPDATE', 'DELETE') then
    v_scope := apms_private.scope_of_row(tg_table_name, old.workspace_id);
    select cv.status into v_status from public.config_versions cv
    where cv.id = old.config_version_id and cv.workspace_id = old.workspace_id;
    if found and v_status <> 'DRAFT' then
      if tg_op = 'DELETE' and not exists (select from public.workspaces w where w.id = old.workspace_id) then
        return old;
      end if;
      raise exception 'cannot % % row: config version % is %, only a DRAFT version''s master rows can change',
        pg_catalog.lower(tg_op), tg_table_name, old.config_version_id, v_status
        using errcode = 'ZA003',
              hint = 'create a new DRAFT version with the change and activate it';
    end if;
  end if;

  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

--
-- Name: guard_stage_document(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.guard_stage_document() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'workflow_stage_documents' then
    perform public.refuse_foreign_table('guard_stage_document', tg_table_schema, tg_table_name);
  end if;
  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if not v_scope.unrestricted and new.uploaded_by is distinct from v_scope.user_id then
    raise exception 'uploaded_by % is not the session''s user %: a document names the user who uploads it',
      new.uploaded_by, v_scope.user_id
      using errcode = 'ZB006', hint = 'upload with uploaded_by = public.current_user_id()';
  end if;
  return new;
end
$$;

--
-- Name: guard_workflow_instance(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.guard_workflow_instance() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_status text;
  v_scope record;
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'workflow_instances' then
    perform public.refuse_foreign_table('guard_workflow_instance', tg_table_schema, tg_table_name);
  end if;
  v_scope := apms_private.scope_of_row(tg_table_name, new.workspace_id);
  if tg_op = 'INSERT' then
    select cv.status into v_status
    from public.config_versions cv
    where cv.id = new.config_version_id and cv.workspace_id = new.workspace_id;
    if v_status is distinct from 'ACTIVE' then
      raise exception 'cannot start workflow instance on config version %: it is %, a new instance must use its workspace''s ACTIVE version',
        new.config_version_id, coalesce(v_status, 'missing')
        using errcode = 'ZB002';
    end if;
    return new;
  end if;

  if new.config_version_id is distinct from old.config_version_id then
    raise exception 'cannot change config_version_id of workflow instance %: running workflows are frozen to the config version they started with',
      old.id
      using errcode = 'ZB001';
  end if;
  return new;
end
$$;

--
-- Name: master_tables(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.master_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select array[
    'master_regions', 'master_sites', 'master_workflow_templates', 'master_stage_templates',
    'master_approval_rules', 'master_checklist_items', 'master_document_types'
  ]::text[]
$$;

--
-- Name: refuse_audit_log_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refuse_audit_log_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if tg_table_schema <> 'public' or tg_table_name <> 'audit_logs' then
    perform public.refuse_foreign_table('refuse_audit_log_change', tg_table_schema, tg_table_name);
  end if;
  raise exception 'audit_logs is append-only: % refused', tg_op
    using errcode = 'ZC001',
          hint = 'audit rows are written by the audit triggers and never changed';
end
$$;

--
-- Name: refuse_foreign_table(text, name, name); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refuse_foreign_table(p_function text, p_schema name, p_table name) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  raise exception '%() refused: it was not written for table %.%', p_function,
    pg_catalog.quote_ident(p_schema), pg_catalog.quote_ident(p_table)
    using errcode = 'ZE001',
          hint = 'the migration attaches its trigger functions in db/functions; attach nothing else to them';
end
$$;

--
-- Name: remove_member(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.remove_member(p_user_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record := apms_private.caller_scope();
begin
  if v_scope.unrestricted then
    raise exception 'remove_member() acts for the session''s workspace: this session has none'
      using errcode = 'ZB007', hint = 'the owner changes workspace_members directly';
  end if;
  perform apms_private.require_member(v_scope.workspace_id, v_scope.user_id, 'change the members', array['ADMIN']);
  delete from public.workspace_members m
  where m.workspace_id = v_scope.workspace_id and m.user_id = remove_member.p_user_id;
  if not found then
    raise exception 'user % is not a member of workspace %', p_user_id, v_scope.workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

--
-- Name: remove_stage_document(uuid); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.remove_stage_document(p_document_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record := apms_private.caller_scope();
  v_uploaded_by text;
  v_workspace_id uuid;
begin
  select d.uploaded_by, d.workspace_id into v_uploaded_by, v_workspace_id
  from public.workflow_stage_documents d
  where d.id = remove_stage_document.p_document_id
    and (v_scope.unrestricted or d.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot remove stage document %: it does not exist in this workspace', p_document_id
      using errcode = 'ZB003';
  end if;
  if not v_scope.unrestricted and v_uploaded_by is distinct from v_scope.user_id then
    perform apms_private.require_member(v_workspace_id, v_scope.user_id, 'remove another user''s document', array['ADMIN']);
  end if;
  delete from public.workflow_stage_documents d where d.id = remove_stage_document.p_document_id;
end
$$;

--
-- Name: set_member(text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.set_member(p_user_id text, p_role text, p_status text DEFAULT 'ACTIVE'::text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_scope record := apms_private.caller_scope();
begin
  if v_scope.unrestricted then
    raise exception 'set_member() acts for the session''s workspace: this session has none'
      using errcode = 'ZB007', hint = 'the owner changes workspace_members directly';
  end if;
  perform apms_private.require_member(v_scope.workspace_id, v_scope.user_id, 'change the members', array['ADMIN']);
  update public.workspace_members m
  set role = set_member.p_role, status = set_member.p_status
  where m.workspace_id = v_scope.workspace_id and m.user_id = set_member.p_user_id;
  if not found then
    raise exception 'user % is not a member of workspace %', p_user_id, v_scope.workspace_id
      using errcode = 'ZB007';
  end if;
end
$$;

--
-- Name: start_workflow_instance(uuid, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.start_workflow_instance(p_workspace_id uuid, p_template_code text, p_site_code text, p_started_by text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_config_version_id public.config_versions.id%type;
  v_template_id uuid;
  v_site_id uuid;
  v_instance_id uuid := pg_catalog.gen_random_uuid();
  v_instance_status_column text := public.status_column_of('public.workflow_instances');
  v_stage_status_column text := public.status_column_of('public.workflow_stages');
  v_stage record;
  v_stages integer := 0;
  v_scope record := apms_private.caller_scope();
begin
  select cv.id into v_config_version_id
  from public.config_versions cv
  where cv.workspace_id = start_workflow_instance.p_workspace_id and cv.status = 'ACTIVE'
    and (v_scope.unrestricted or cv.workspace_id = v_scope.workspace_id);
  if not found then
    raise exception 'cannot start a workflow in workspace %: it has no ACTIVE config version', p_workspace_id
      using errcode = 'ZB002', hint = 'activate a config version with public.activate_config_version()';
  end if;
  if not v_scope.unrestricted and p_started_by is distinct from v_scope.user_id then
    raise exception 'starter % is not the session''s user %: a workflow is started in its user''s name',
      p_started_by, v_scope.user_id
      using errcode = 'ZB006', hint = 'start it with p_started_by = public.current_user_id()';
  end if;

  select t.id into v_template_id
  from public.master_workflow_templates t
  where t.workspace_id = start_workflow_instance.p_workspace_id
    and t.config_version_id = v_config_version_id
    and t.code = start_workflow_instance.p_template_code;
  if not found then
    raise exception 'cannot start a workflow: template % not found in the ACTIVE config version % of workspace %',
      p_template_code, v_config_version_id, p_workspace_id
      using errcode = 'ZB005';
  end if;

  select s.id into v_site_id
  from public.master_sites s
  where s.workspace_id = start_workflow_instance.p_workspace_id
    and s.config_version_id = v_config_version_id
    and s.site_code = start_workflow_instance.p_site_code;
  if not found then
    raise exception 'cannot start a workflow: site % not found in the ACTIVE config version % of workspace %',
      p_site_code, v_config_version_id, p_workspace_id
      using errcode = 'ZB005';
  end if;

  execute format(
    'insert into public.workflow_instances (id, workspace_id, config_version_id, workflow_template_id, site_id, started_by, %I)
     values ($1, $2, $3, $4, $5, $6, $7)', v_instance_status_column)
  using v_instance_id, p_workspace_id, v_config_version_id, v_template_id, v_site_id, p_started_by, 'IN_PROGRESS';

  for v_stage in
    select st.id, st.stage_order, st.name
    from public.master_stage_templates st
    where st.workspace_id = start_workflow_instance.p_workspace_id
      and st.config_version_id = v_config_version_id
      and st.workflow_template_id = v_template_id
    order by st.stage_order
  loop
    execute format(
      'insert into public.workflow_stages (id, workspace_id, workflow_instance_id, stage_template_id, stage_order, name, started_at, %I)
       values ($1, $2, $3, $4, $5, $6, $7, $8)', v_stage_status_column)
    using pg_catalog.gen_random_uuid(), p_workspace_id, v_instance_id, v_stage.id, v_stage.stage_order, v_stage.name,
      case when v_stages = 0 then pg_catalog.now() end,
      case when v_stages = 0 then 'IN_PROGRESS' else 'PENDING' end;
    v_stages := v_stages + 1;
  end loop;

  if v_stages = 0 then
    raise exception 'cannot start a workflow: template % has no stage templates in config version %',
      p_template_code, v_config_version_id
      using errcode = 'ZB005';
  end if;
  return v_instance_id;
end
$_$;

--
-- Name: status_column_of(regclass); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.status_column_of(p_table regclass) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_columns text[];
begin
  select array_agg(a.attname::text order by a.attnum) into v_columns
  from pg_catalog.pg_attribute a
  where a.attrelid = status_column_of.p_table
    and a.attname in ('status', 'workflow_status', 'stage_status')
    and a.attnum > 0
    and not a.attisdropped;
  if v_columns is null or cardinality(v_columns) <> 1 then
    raise exception 'cannot find the status column of %: found %', p_table, coalesce(array_to_string(v_columns, ', '), 'none')
      using errcode = 'ZD001', hint = 'a workflow table needs exactly one of status, workflow_status, stage_status';
  end if;
  return v_columns[1];
end
$$;

--
-- Name: workspace_users(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.workspace_users() RETURNS TABLE(user_id text, email text, name text, user_status text, role text, member_status text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.id, u.email, u.name, u.status, m.role, m.status
  from public.workspace_members m
  join public.users u on u.id = m.user_id
  where m.workspace_id = public.current_workspace_id()
  order by u.id
$$;

SET default_table_access_method = heap;

--
-- Name: context_keys; Type: TABLE; Schema: apms_private; Owner: -
--

CREATE TABLE apms_private.context_keys (
    id text NOT NULL,
    secret bytea NOT NULL,
    inner_pad bytea GENERATED ALWAYS AS (apms_private.hmac_pad(secret, 54)) STORED,
    outer_pad bytea GENERATED ALWAYS AS (apms_private.hmac_pad(secret, 92)) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT context_keys_id_check CHECK ((id ~ '^[a-z0-9_-]{1,32}$'::text)),
    CONSTRAINT context_keys_secret_check CHECK (((octet_length(secret) >= 32) AND (octet_length(secret) <= 64)))
);

--
-- Name: audit_logs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid,
    table_name text NOT NULL,
    row_id text,
    action text NOT NULL,
    actor text NOT NULL,
    old_values jsonb,
    new_values jsonb,
    changed_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    txid bigint DEFAULT txid_current() NOT NULL,
    CONSTRAINT audit_logs_action_check CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

--
-- Name: config_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.config_versions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    status text DEFAULT 'DRAFT'::text NOT NULL,
    source_file_name text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by text,
    activated_at timestamp with time zone,
    activated_by text,
    superseded_at timestamp with time zone,
    CONSTRAINT config_versions_status_check CHECK ((status = ANY (ARRAY['DRAFT'::text, 'ACTIVE'::text, 'SUPERSEDED'::text])))
);

--
-- Name: master_approval_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_approval_rules (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    stage_template_id uuid NOT NULL,
    approver_role text NOT NULL,
    min_approvals integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_approval_rules_approver_role_check CHECK ((approver_role = ANY (ARRAY['ADMIN'::text, 'OPERATOR_APPROVER'::text, 'VENDOR_PM'::text, 'VENDOR_ENGINEER'::text, 'QA_REVIEWER'::text, 'VIEWER'::text]))),
    CONSTRAINT master_approval_rules_min_approvals_check CHECK (((min_approvals >= 1) AND (min_approvals <= 10)))
);

--
-- Name: master_checklist_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_checklist_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    stage_template_id uuid NOT NULL,
    item_code text NOT NULL,
    description text NOT NULL,
    is_mandatory boolean DEFAULT true NOT NULL,
    sort_order integer DEFAULT 1 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_checklist_items_sort_order_check CHECK ((sort_order > 0))
);

--
-- Name: master_document_types; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_document_types (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    stage_template_id uuid,
    code text NOT NULL,
    name text NOT NULL,
    file_extension text DEFAULT 'pdf'::text NOT NULL,
    max_size_mb integer DEFAULT 20 NOT NULL,
    is_mandatory boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_document_types_file_extension_check CHECK ((file_extension = ANY (ARRAY['pdf'::text, 'xlsx'::text, 'jpg'::text, 'png'::text, 'zip'::text]))),
    CONSTRAINT master_document_types_max_size_mb_check CHECK (((max_size_mb >= 1) AND (max_size_mb <= 500)))
);

--
-- Name: master_regions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_regions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_regions_code_check CHECK ((code ~ '^[A-Z0-9_-]{1,32}$'::text))
);

--
-- Name: master_sites; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_sites (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    region_id uuid NOT NULL,
    site_code text NOT NULL,
    site_name text NOT NULL,
    latitude numeric(9,6),
    longitude numeric(9,6),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_sites_latitude_check CHECK (((latitude >= ('-90'::integer)::numeric) AND (latitude <= (90)::numeric))),
    CONSTRAINT master_sites_longitude_check CHECK (((longitude >= ('-180'::integer)::numeric) AND (longitude <= (180)::numeric)))
);

--
-- Name: master_stage_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_stage_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    workflow_template_id uuid NOT NULL,
    stage_order integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    sla_hours integer DEFAULT 72 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT master_stage_templates_sla_hours_check CHECK ((sla_hours > 0)),
    CONSTRAINT master_stage_templates_stage_order_check CHECK ((stage_order > 0))
);

--
-- Name: master_workflow_templates; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.master_workflow_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id text NOT NULL,
    email text NOT NULL,
    name text,
    status text DEFAULT 'ACTIVE'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: workflow_approvals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_approvals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    workflow_instance_id uuid NOT NULL,
    workflow_stage_id uuid NOT NULL,
    approver_id text NOT NULL,
    decision text NOT NULL,
    comment text,
    decided_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_approvals_decision_check CHECK ((decision = ANY (ARRAY['APPROVED'::text, 'REJECTED'::text])))
);

--
-- Name: workflow_instances; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_instances (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    status text DEFAULT 'IN_PROGRESS'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    workflow_template_id uuid,
    site_id uuid,
    started_by text,
    completed_at timestamp with time zone,
    CONSTRAINT workflow_instances_status_check CHECK ((status = ANY (ARRAY['IN_PROGRESS'::text, 'COMPLETED'::text, 'REJECTED'::text, 'CANCELLED'::text])))
);

--
-- Name: workflow_stage_documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_stage_documents (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    config_version_id uuid NOT NULL,
    workflow_stage_id uuid NOT NULL,
    document_type_id uuid NOT NULL,
    file_name text NOT NULL,
    storage_key text NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_stage_documents_file_name_check CHECK ((length(btrim(file_name)) > 0))
);

--
-- Name: workflow_stages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workflow_stages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workflow_instance_id uuid NOT NULL,
    name text,
    status text DEFAULT 'PENDING'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    workspace_id uuid NOT NULL,
    stage_template_id uuid,
    stage_order integer,
    started_at timestamp with time zone,
    decided_at timestamp with time zone,
    CONSTRAINT workflow_stages_stage_order_check CHECK ((stage_order > 0)),
    CONSTRAINT workflow_stages_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'IN_PROGRESS'::text, 'APPROVED'::text, 'REJECTED'::text, 'SKIPPED'::text])))
);

--
-- Name: workspace_members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workspace_members (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    workspace_id uuid NOT NULL,
    user_id text NOT NULL,
    role text NOT NULL,
    status text DEFAULT 'ACTIVE'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workspace_members_role_check CHECK ((role = ANY (ARRAY['ADMIN'::text, 'OPERATOR_APPROVER'::text, 'VENDOR_PM'::text, 'VENDOR_ENGINEER'::text, 'QA_REVIEWER'::text, 'VIEWER'::text]))),
    CONSTRAINT workspace_members_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'INACTIVE'::text])))
);

--
-- Name: workspaces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.workspaces (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: context_keys context_keys_pkey; Type: CONSTRAINT; Schema: apms_private; Owner: -
--

ALTER TABLE ONLY apms_private.context_keys
    ADD CONSTRAINT context_keys_pkey PRIMARY KEY (id);

--
-- Name: audit_logs audit_logs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_logs
    ADD CONSTRAINT audit_logs_pkey PRIMARY KEY (id);

--
-- Name: config_versions config_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_versions
    ADD CONSTRAINT config_versions_pkey PRIMARY KEY (id);

--
-- Name: config_versions config_versions_workspace_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_versions
    ADD CONSTRAINT config_versions_workspace_id_id_key UNIQUE (workspace_id, id);

--
-- Name: master_approval_rules master_approval_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_approval_rules
    ADD CONSTRAINT master_approval_rules_pkey PRIMARY KEY (id);

--
-- Name: master_approval_rules master_approval_rules_role_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_approval_rules
    ADD CONSTRAINT master_approval_rules_role_key UNIQUE (workspace_id, stage_template_id, approver_role);

--
-- Name: master_checklist_items master_checklist_items_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_checklist_items
    ADD CONSTRAINT master_checklist_items_code_key UNIQUE (workspace_id, stage_template_id, item_code);

--
-- Name: master_checklist_items master_checklist_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_checklist_items
    ADD CONSTRAINT master_checklist_items_pkey PRIMARY KEY (id);

--
-- Name: master_document_types master_document_types_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_code_key UNIQUE (workspace_id, config_version_id, code);

--
-- Name: master_document_types master_document_types_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_pkey PRIMARY KEY (id);

--
-- Name: master_document_types master_document_types_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_scope_key UNIQUE (workspace_id, config_version_id, id);

--
-- Name: master_regions master_regions_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_regions
    ADD CONSTRAINT master_regions_code_key UNIQUE (workspace_id, config_version_id, code);

--
-- Name: master_regions master_regions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_regions
    ADD CONSTRAINT master_regions_pkey PRIMARY KEY (id);

--
-- Name: master_regions master_regions_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_regions
    ADD CONSTRAINT master_regions_scope_key UNIQUE (workspace_id, config_version_id, id);

--
-- Name: master_sites master_sites_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_code_key UNIQUE (workspace_id, config_version_id, site_code);

--
-- Name: master_sites master_sites_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_pkey PRIMARY KEY (id);

--
-- Name: master_sites master_sites_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_scope_key UNIQUE (workspace_id, config_version_id, id);

--
-- Name: master_stage_templates master_stage_templates_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_code_key UNIQUE (workspace_id, workflow_template_id, code);

--
-- Name: master_stage_templates master_stage_templates_order_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_order_key UNIQUE (workspace_id, workflow_template_id, stage_order);

--
-- Name: master_stage_templates master_stage_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_pkey PRIMARY KEY (id);

--
-- Name: master_stage_templates master_stage_templates_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_scope_key UNIQUE (workspace_id, config_version_id, id);

--
-- Name: master_stage_templates master_stage_templates_workspace_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_workspace_id_id_key UNIQUE (workspace_id, id);

--
-- Name: master_workflow_templates master_workflow_templates_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_workflow_templates
    ADD CONSTRAINT master_workflow_templates_code_key UNIQUE (workspace_id, config_version_id, code);

--
-- Name: master_workflow_templates master_workflow_templates_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_workflow_templates
    ADD CONSTRAINT master_workflow_templates_pkey PRIMARY KEY (id);

--
-- Name: master_workflow_templates master_workflow_templates_scope_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_workflow_templates
    ADD CONSTRAINT master_workflow_templates_scope_key UNIQUE (workspace_id, config_version_id, id);

--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: workflow_approvals workflow_approvals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_pkey PRIMARY KEY (id);

--
-- Name: workflow_approvals workflow_approvals_stage_approver_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_stage_approver_key UNIQUE (workspace_id, workflow_stage_id, approver_id);

--
-- Name: workflow_instances workflow_instances_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_pkey PRIMARY KEY (id);

--
-- Name: workflow_instances workflow_instances_workspace_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_workspace_id_id_key UNIQUE (workspace_id, id);

--
-- Name: workflow_stage_documents workflow_stage_documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_pkey PRIMARY KEY (id);

--
-- Name: workflow_stage_documents workflow_stage_documents_storage_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_storage_key_key UNIQUE (workspace_id, storage_key);

--
-- Name: workflow_stages workflow_stages_instance_order_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_instance_order_key UNIQUE (workspace_id, workflow_instance_id, stage_order);

--
-- Name: workflow_stages workflow_stages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_pkey PRIMARY KEY (id);

--
-- Name: workflow_stages workflow_stages_workspace_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_workspace_id_id_key UNIQUE (workspace_id, id);

--
-- Name: workspace_members workspace_members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_members
    ADD CONSTRAINT workspace_members_pkey PRIMARY KEY (id);

--
-- Name: workspace_members workspace_members_workspace_user_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_members
    ADD CONSTRAINT workspace_members_workspace_user_key UNIQUE (workspace_id, user_id);

--
-- Name: workspaces workspaces_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspaces
    ADD CONSTRAINT workspaces_code_key UNIQUE (code);

--
-- Name: workspaces workspaces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspaces
    ADD CONSTRAINT workspaces_pkey PRIMARY KEY (id);

--
-- Name: config_versions_one_active_per_workspace; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX config_versions_one_active_per_workspace ON public.config_versions USING btree (workspace_id) WHERE (status = 'ACTIVE'::text);

--
-- Name: idx_audit_logs_actor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_actor ON public.audit_logs USING btree (workspace_id, actor, changed_at DESC);

--
-- Name: idx_audit_logs_table_row; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_table_row ON public.audit_logs USING btree (workspace_id, table_name, row_id, changed_at);

--
-- Name: idx_audit_logs_workspace_changed_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_audit_logs_workspace_changed_at ON public.audit_logs USING btree (workspace_id, changed_at DESC);

--
-- Name: idx_config_versions_created_by; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_config_versions_created_by ON public.config_versions USING btree (workspace_id, created_by);

--
-- Name: idx_config_versions_workspace_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_config_versions_workspace_created ON public.config_versions USING btree (workspace_id, created_at DESC);

--
-- Name: idx_master_approval_rules_role; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_approval_rules_role ON public.master_approval_rules USING btree (workspace_id, config_version_id, approver_role);

--
-- Name: idx_master_approval_rules_stage_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_approval_rules_stage_template ON public.master_approval_rules USING btree (workspace_id, config_version_id, stage_template_id);

--
-- Name: idx_master_checklist_items_stage_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_checklist_items_stage_template ON public.master_checklist_items USING btree (workspace_id, config_version_id, stage_template_id, sort_order);

--
-- Name: idx_master_document_types_stage_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_document_types_stage_template ON public.master_document_types USING btree (workspace_id, config_version_id, stage_template_id);

--
-- Name: idx_master_sites_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_sites_region ON public.master_sites USING btree (workspace_id, config_version_id, region_id);

--
-- Name: idx_master_sites_workspace_site_code; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_sites_workspace_site_code ON public.master_sites USING btree (workspace_id, site_code);

--
-- Name: idx_master_stage_templates_workflow_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_master_stage_templates_workflow_template ON public.master_stage_templates USING btree (workspace_id, config_version_id, workflow_template_id, stage_order);

--
-- Name: idx_workflow_approvals_approver; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_approvals_approver ON public.workflow_approvals USING btree (workspace_id, approver_id, decided_at DESC);

--
-- Name: idx_workflow_approvals_instance; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_approvals_instance ON public.workflow_approvals USING btree (workspace_id, workflow_instance_id);

--
-- Name: idx_workflow_instances_config_version; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_config_version ON public.workflow_instances USING btree (workspace_id, config_version_id);

--
-- Name: idx_workflow_instances_site; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_site ON public.workflow_instances USING btree (workspace_id, site_id);

--
-- Name: idx_workflow_instances_started_by; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_started_by ON public.workflow_instances USING btree (workspace_id, started_by);

--
-- Name: idx_workflow_instances_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_template ON public.workflow_instances USING btree (workspace_id, workflow_template_id);

--
-- Name: idx_workflow_instances_workspace_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_workspace_created ON public.workflow_instances USING btree (workspace_id, created_at DESC);

--
-- Name: idx_workflow_instances_workspace_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_instances_workspace_status ON public.workflow_instances USING btree (workspace_id, status);

--
-- Name: idx_workflow_stage_documents_document_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stage_documents_document_type ON public.workflow_stage_documents USING btree (workspace_id, config_version_id, document_type_id);

--
-- Name: idx_workflow_stage_documents_stage; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stage_documents_stage ON public.workflow_stage_documents USING btree (workspace_id, workflow_stage_id);

--
-- Name: idx_workflow_stage_documents_uploaded_by; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stage_documents_uploaded_by ON public.workflow_stage_documents USING btree (workspace_id, uploaded_by);

--
-- Name: idx_workflow_stages_instance; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stages_instance ON public.workflow_stages USING btree (workflow_instance_id);

--
-- Name: idx_workflow_stages_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stages_open ON public.workflow_stages USING btree (workspace_id, stage_template_id) WHERE (status = 'IN_PROGRESS'::text);

--
-- Name: idx_workflow_stages_stage_template; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workflow_stages_stage_template ON public.workflow_stages USING btree (workspace_id, stage_template_id);

--
-- Name: idx_workspace_members_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workspace_members_user ON public.workspace_members USING btree (user_id);

--
-- Name: idx_workspace_members_workspace_role; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idx_workspace_members_workspace_role ON public.workspace_members USING btree (workspace_id, role) WHERE (status = 'ACTIVE'::text);

--
-- Name: workflow_stages trg_010_fill_workspace_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_010_fill_workspace_id BEFORE INSERT OR UPDATE ON public.workflow_stages FOR EACH ROW WHEN ((new.workspace_id IS NULL)) EXECUTE FUNCTION public.fill_stage_workspace_id();

--
-- Name: config_versions trg_100_guard_config_version; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_config_version BEFORE INSERT OR DELETE OR UPDATE ON public.config_versions FOR EACH ROW EXECUTE FUNCTION public.guard_config_version();

--
-- Name: master_approval_rules trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_approval_rules FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_checklist_items trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_checklist_items FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_document_types trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_document_types FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_regions trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_regions FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_sites trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_sites FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_stage_templates trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_stage_templates FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: master_workflow_templates trg_100_guard_master_row; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_master_row BEFORE INSERT OR DELETE OR UPDATE ON public.master_workflow_templates FOR EACH ROW EXECUTE FUNCTION public.guard_master_row();

--
-- Name: workflow_stage_documents trg_100_guard_stage_document; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_stage_document BEFORE INSERT OR UPDATE ON public.workflow_stage_documents FOR EACH ROW EXECUTE FUNCTION public.guard_stage_document();

--
-- Name: workflow_instances trg_100_guard_workflow_instance; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_guard_workflow_instance BEFORE INSERT OR UPDATE ON public.workflow_instances FOR EACH ROW EXECUTE FUNCTION public.guard_workflow_instance();

--
-- Name: audit_logs trg_100_refuse_change; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_100_refuse_change BEFORE DELETE OR UPDATE ON public.audit_logs FOR EACH ROW EXECUTE FUNCTION public.refuse_audit_log_change();

--
-- Name: config_versions trg_110_guard_config_version_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_110_guard_config_version_truncate BEFORE TRUNCATE ON public.config_versions FOR EACH STATEMENT EXECUTE FUNCTION public.guard_config_version_truncate();

--
-- Name: audit_logs trg_110_refuse_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_110_refuse_truncate BEFORE TRUNCATE ON public.audit_logs FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_audit_log_change();

--
-- Name: config_versions trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.config_versions FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_approval_rules trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_approval_rules FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_checklist_items trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_checklist_items FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_document_types trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_document_types FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_regions trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_regions FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_sites trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_sites FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_stage_templates trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_stage_templates FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: master_workflow_templates trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.master_workflow_templates FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: workflow_approvals trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.workflow_approvals FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: workflow_instances trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.workflow_instances FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: workflow_stage_documents trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.workflow_stage_documents FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: workflow_stages trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.workflow_stages FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: workspace_members trg_900_audit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER trg_900_audit AFTER INSERT OR DELETE OR UPDATE ON public.workspace_members FOR EACH ROW EXECUTE FUNCTION public.audit_row_change();

--
-- Name: config_versions config_versions_activated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_versions
    ADD CONSTRAINT config_versions_activated_by_fkey FOREIGN KEY (activated_by) REFERENCES public.users(id) ON DELETE SET NULL;

--
-- Name: config_versions config_versions_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_versions
    ADD CONSTRAINT config_versions_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id) ON DELETE SET NULL;

--
-- Name: config_versions config_versions_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_versions
    ADD CONSTRAINT config_versions_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_approval_rules master_approval_rules_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_approval_rules
    ADD CONSTRAINT master_approval_rules_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_approval_rules master_approval_rules_stage_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_approval_rules
    ADD CONSTRAINT master_approval_rules_stage_template_fkey FOREIGN KEY (workspace_id, config_version_id, stage_template_id) REFERENCES public.master_stage_templates(workspace_id, config_version_id, id) ON DELETE CASCADE;

--
-- Name: master_approval_rules master_approval_rules_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_approval_rules
    ADD CONSTRAINT master_approval_rules_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_checklist_items master_checklist_items_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_checklist_items
    ADD CONSTRAINT master_checklist_items_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_checklist_items master_checklist_items_stage_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_checklist_items
    ADD CONSTRAINT master_checklist_items_stage_template_fkey FOREIGN KEY (workspace_id, config_version_id, stage_template_id) REFERENCES public.master_stage_templates(workspace_id, config_version_id, id) ON DELETE CASCADE;

--
-- Name: master_checklist_items master_checklist_items_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_checklist_items
    ADD CONSTRAINT master_checklist_items_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_document_types master_document_types_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_document_types master_document_types_stage_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_stage_template_fkey FOREIGN KEY (workspace_id, config_version_id, stage_template_id) REFERENCES public.master_stage_templates(workspace_id, config_version_id, id) ON DELETE CASCADE;

--
-- Name: master_document_types master_document_types_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_document_types
    ADD CONSTRAINT master_document_types_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_regions master_regions_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_regions
    ADD CONSTRAINT master_regions_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_regions master_regions_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_regions
    ADD CONSTRAINT master_regions_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_sites master_sites_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_sites master_sites_region_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_region_fkey FOREIGN KEY (workspace_id, config_version_id, region_id) REFERENCES public.master_regions(workspace_id, config_version_id, id) ON DELETE CASCADE;

--
-- Name: master_sites master_sites_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_sites
    ADD CONSTRAINT master_sites_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_stage_templates master_stage_templates_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_stage_templates master_stage_templates_workflow_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_workflow_template_fkey FOREIGN KEY (workspace_id, config_version_id, workflow_template_id) REFERENCES public.master_workflow_templates(workspace_id, config_version_id, id) ON DELETE CASCADE;

--
-- Name: master_stage_templates master_stage_templates_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_stage_templates
    ADD CONSTRAINT master_stage_templates_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: master_workflow_templates master_workflow_templates_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_workflow_templates
    ADD CONSTRAINT master_workflow_templates_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE CASCADE;

--
-- Name: master_workflow_templates master_workflow_templates_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.master_workflow_templates
    ADD CONSTRAINT master_workflow_templates_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: workflow_approvals workflow_approvals_approver_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_approver_id_fkey FOREIGN KEY (approver_id) REFERENCES public.users(id);

--
-- Name: workflow_approvals workflow_approvals_approver_member_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_approver_member_fkey FOREIGN KEY (workspace_id, approver_id) REFERENCES public.workspace_members(workspace_id, user_id);

--
-- Name: workflow_approvals workflow_approvals_instance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_instance_fkey FOREIGN KEY (workspace_id, workflow_instance_id) REFERENCES public.workflow_instances(workspace_id, id) ON DELETE CASCADE;

--
-- Name: workflow_approvals workflow_approvals_stage_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_stage_fkey FOREIGN KEY (workspace_id, workflow_stage_id) REFERENCES public.workflow_stages(workspace_id, id) ON DELETE CASCADE;

--
-- Name: workflow_approvals workflow_approvals_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_approvals
    ADD CONSTRAINT workflow_approvals_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: workflow_instances workflow_instances_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_instances workflow_instances_config_version_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_config_version_id_fkey FOREIGN KEY (config_version_id) REFERENCES public.config_versions(id);

--
-- Name: workflow_instances workflow_instances_site_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_site_fkey FOREIGN KEY (workspace_id, config_version_id, site_id) REFERENCES public.master_sites(workspace_id, config_version_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_instances workflow_instances_started_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_started_by_fkey FOREIGN KEY (started_by) REFERENCES public.users(id);

--
-- Name: workflow_instances workflow_instances_started_by_member_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_started_by_member_fkey FOREIGN KEY (workspace_id, started_by) REFERENCES public.workspace_members(workspace_id, user_id);

--
-- Name: workflow_instances workflow_instances_workflow_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_workflow_template_fkey FOREIGN KEY (workspace_id, config_version_id, workflow_template_id) REFERENCES public.master_workflow_templates(workspace_id, config_version_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_instances workflow_instances_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_instances
    ADD CONSTRAINT workflow_instances_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: workflow_stage_documents workflow_stage_documents_config_version_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_config_version_fkey FOREIGN KEY (workspace_id, config_version_id) REFERENCES public.config_versions(workspace_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_stage_documents workflow_stage_documents_document_type_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_document_type_fkey FOREIGN KEY (workspace_id, config_version_id, document_type_id) REFERENCES public.master_document_types(workspace_id, config_version_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_stage_documents workflow_stage_documents_stage_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_stage_fkey FOREIGN KEY (workspace_id, workflow_stage_id) REFERENCES public.workflow_stages(workspace_id, id) ON DELETE CASCADE;

--
-- Name: workflow_stage_documents workflow_stage_documents_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.users(id);

--
-- Name: workflow_stage_documents workflow_stage_documents_uploaded_by_member_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_uploaded_by_member_fkey FOREIGN KEY (workspace_id, uploaded_by) REFERENCES public.workspace_members(workspace_id, user_id);

--
-- Name: workflow_stage_documents workflow_stage_documents_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stage_documents
    ADD CONSTRAINT workflow_stage_documents_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: workflow_stages workflow_stages_instance_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_instance_fkey FOREIGN KEY (workspace_id, workflow_instance_id) REFERENCES public.workflow_instances(workspace_id, id) ON DELETE CASCADE;

--
-- Name: workflow_stages workflow_stages_stage_template_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_stage_template_fkey FOREIGN KEY (workspace_id, stage_template_id) REFERENCES public.master_stage_templates(workspace_id, id) ON DELETE RESTRICT;

--
-- Name: workflow_stages workflow_stages_workflow_instance_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_workflow_instance_id_fkey FOREIGN KEY (workflow_instance_id) REFERENCES public.workflow_instances(id) ON DELETE CASCADE;

--
-- Name: workflow_stages workflow_stages_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workflow_stages
    ADD CONSTRAINT workflow_stages_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: workspace_members workspace_members_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_members
    ADD CONSTRAINT workspace_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;

--
-- Name: workspace_members workspace_members_workspace_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.workspace_members
    ADD CONSTRAINT workspace_members_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id) ON DELETE CASCADE;

--
-- Name: audit_logs; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.audit_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: config_versions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.config_versions ENABLE ROW LEVEL SECURITY;

--
-- Name: master_approval_rules; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_approval_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: master_checklist_items; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_checklist_items ENABLE ROW LEVEL SECURITY;

--
-- Name: master_document_types; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_document_types ENABLE ROW LEVEL SECURITY;

--
-- Name: master_regions; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_regions ENABLE ROW LEVEL SECURITY;

--
-- Name: master_sites; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_sites ENABLE ROW LEVEL SECURITY;

--
-- Name: master_stage_templates; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_stage_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: master_workflow_templates; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.master_workflow_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;

--
-- Name: workflow_approvals; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workflow_approvals ENABLE ROW LEVEL SECURITY;

--
-- Name: workflow_instances; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workflow_instances ENABLE ROW LEVEL SECURITY;

--
-- Name: workflow_stage_documents; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workflow_stage_documents ENABLE ROW LEVEL SECURITY;

--
-- Name: workflow_stages; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workflow_stages ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_logs workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.audit_logs USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: config_versions workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.config_versions USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_approval_rules workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_approval_rules USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_checklist_items workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_checklist_items USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_document_types workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_document_types USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_regions workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_regions USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_sites workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_sites USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_stage_templates workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_stage_templates USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: master_workflow_templates workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.master_workflow_templates USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workflow_approvals workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workflow_approvals USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workflow_instances workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workflow_instances USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workflow_stage_documents workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workflow_stage_documents USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workflow_stages workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workflow_stages USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workspace_members workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workspace_members USING ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((workspace_id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workspaces workspace_isolation; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY workspace_isolation ON public.workspaces USING ((id = ( SELECT public.current_workspace_id() AS current_workspace_id))) WITH CHECK ((id = ( SELECT public.current_workspace_id() AS current_workspace_id)));

--
-- Name: workspace_members; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workspace_members ENABLE ROW LEVEL SECURITY;

--
-- Name: workspaces; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.workspaces ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO apms_app;

--
-- Name: FUNCTION caller_scope(OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.caller_scope(OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text) FROM PUBLIC;

--
-- Name: FUNCTION hmac_pad(p_key bytea, p_pad integer); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.hmac_pad(p_key bytea, p_pad integer) FROM PUBLIC;

--
-- Name: FUNCTION require_member(p_workspace_id uuid, p_user_id text, p_action text, p_roles text[]); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.require_member(p_workspace_id uuid, p_user_id text, p_action text, p_roles text[]) FROM PUBLIC;

--
-- Name: FUNCTION scope_of_row(p_table text, p_workspace_id uuid, OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.scope_of_row(p_table text, p_workspace_id uuid, OUT unrestricted boolean, OUT workspace_id uuid, OUT user_id text) FROM PUBLIC;

--
-- Name: FUNCTION sign_context(p_workspace_id uuid, p_user_id text, p_key_id text, p_ttl interval, p_pid integer); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.sign_context(p_workspace_id uuid, p_user_id text, p_key_id text, p_ttl interval, p_pid integer) FROM PUBLIC;

--
-- Name: FUNCTION verified_context(OUT workspace_id uuid, OUT user_id text); Type: ACL; Schema: apms_private; Owner: -
--

REVOKE ALL ON FUNCTION apms_private.verified_context(OUT workspace_id uuid, OUT user_id text) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_lock_shared(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_xact_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_xact_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_xact_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_advisory_xact_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_advisory_xact_lock_shared(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_cancel_backend(integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_cancel_backend(integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_terminate_backend(pid integer, timeout bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_terminate_backend(pid integer, timeout bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_lock_shared(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_xact_lock(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_xact_lock(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_xact_lock_shared(bigint); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(bigint) FROM PUBLIC;

--
-- Name: FUNCTION pg_try_advisory_xact_lock_shared(integer, integer); Type: ACL; Schema: pg_catalog; Owner: -
--

REVOKE ALL ON FUNCTION pg_catalog.pg_try_advisory_xact_lock_shared(integer, integer) FROM PUBLIC;

--
-- Name: FUNCTION activate_config_version(p_config_version_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.activate_config_version(p_config_version_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.activate_config_version(p_config_version_id uuid) TO apms_app;

--
-- Name: FUNCTION audit_row_change(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.audit_row_change() FROM PUBLIC;

--
-- Name: FUNCTION audited_tables(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.audited_tables() FROM PUBLIC;

--
-- Name: FUNCTION current_actor(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.current_actor() FROM PUBLIC;

--
-- Name: FUNCTION current_user_id(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION public.current_user_id() TO apms_app;

--
-- Name: FUNCTION current_workspace(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.current_workspace() FROM PUBLIC;
GRANT ALL ON FUNCTION public.current_workspace() TO apms_app;

--
-- Name: FUNCTION current_workspace_id(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.current_workspace_id() FROM PUBLIC;
GRANT ALL ON FUNCTION public.current_workspace_id() TO apms_app;

--
-- Name: FUNCTION decide_stage(p_stage_id uuid, p_approver_id text, p_decision text, p_comment text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.decide_stage(p_stage_id uuid, p_approver_id text, p_decision text, p_comment text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.decide_stage(p_stage_id uuid, p_approver_id text, p_decision text, p_comment text) TO apms_app;

--
-- Name: FUNCTION discard_config_version(p_config_version_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.discard_config_version(p_config_version_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.discard_config_version(p_config_version_id uuid) TO apms_app;

--
-- Name: FUNCTION fill_stage_workspace_id(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.fill_stage_workspace_id() FROM PUBLIC;

--
-- Name: FUNCTION guard_config_version(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.guard_config_version() FROM PUBLIC;

--
-- Name: FUNCTION guard_config_version_truncate(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.guard_config_version_truncate() FROM PUBLIC;

--
-- Name: FUNCTION guard_master_row(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.guard_master_row() FROM PUBLIC;

--
-- Name: FUNCTION guard_stage_document(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.guard_stage_document() FROM PUBLIC;

--
-- Name: FUNCTION guard_workflow_instance(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.guard_workflow_instance() FROM PUBLIC;

--
-- Name: FUNCTION master_tables(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.master_tables() FROM PUBLIC;

--
-- Name: FUNCTION refuse_audit_log_change(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.refuse_audit_log_change() FROM PUBLIC;

--
-- Name: FUNCTION refuse_foreign_table(p_function text, p_schema name, p_table name); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.refuse_foreign_table(p_function text, p_schema name, p_table name) FROM PUBLIC;

--
-- Name: FUNCTION remove_member(p_user_id text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.remove_member(p_user_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.remove_member(p_user_id text) TO apms_app;

--
-- Name: FUNCTION remove_stage_document(p_document_id uuid); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.remove_stage_document(p_document_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.remove_stage_document(p_document_id uuid) TO apms_app;

--
-- Name: FUNCTION set_member(p_user_id text, p_role text, p_status text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.set_member(p_user_id text, p_role text, p_status text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_member(p_user_id text, p_role text, p_status text) TO apms_app;

--
-- Name: FUNCTION start_workflow_instance(p_workspace_id uuid, p_template_code text, p_site_code text, p_started_by text); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.start_workflow_instance(p_workspace_id uuid, p_template_code text, p_site_code text, p_started_by text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.start_workflow_instance(p_workspace_id uuid, p_template_code text, p_site_code text, p_started_by text) TO apms_app;

--
-- Name: FUNCTION status_column_of(p_table regclass); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.status_column_of(p_table regclass) FROM PUBLIC;

--
-- Name: FUNCTION workspace_users(); Type: ACL; Schema: public; Owner: -
--

REVOKE ALL ON FUNCTION public.workspace_users() FROM PUBLIC;
GRANT ALL ON FUNCTION public.workspace_users() TO apms_app;

--
-- Name: TABLE audit_logs; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.audit_logs TO apms_app;

--
-- Name: TABLE config_versions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.config_versions TO apms_app;

--
-- Name: TABLE master_approval_rules; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_approval_rules TO apms_app;

--
-- Name: TABLE master_checklist_items; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_checklist_items TO apms_app;

--
-- Name: TABLE master_document_types; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_document_types TO apms_app;

--
-- Name: TABLE master_regions; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_regions TO apms_app;

--
-- Name: TABLE master_sites; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_sites TO apms_app;

--
-- Name: TABLE master_stage_templates; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_stage_templates TO apms_app;

--
-- Name: TABLE master_workflow_templates; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.master_workflow_templates TO apms_app;

--
-- Name: TABLE workflow_approvals; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.workflow_approvals TO apms_app;

--
-- Name: TABLE workflow_instances; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.workflow_instances TO apms_app;

--
-- Name: TABLE workflow_stage_documents; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.workflow_stage_documents TO apms_app;

--
-- Name: TABLE workflow_stages; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.workflow_stages TO apms_app;

--
-- PostgreSQL database dump complete
--
