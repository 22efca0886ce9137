-- Signs a request context for a session, as the application does with its copy of a key
-- (docs/security.md): for a DBA, a test or a tool acting as the application, never for apms_app
-- (no USAGE on apms_private). Runs as the caller, who must be able to read the keys. Defaults: the
-- newest key that is not revoked, five minutes, the calling backend.
create or replace function apms_private.sign_context(
  p_workspace_id uuid,
  p_user_id text,
  p_key_id text default null,
  p_ttl interval default interval '5 minutes',
  p_pid integer default pg_catalog.pg_backend_pid()
)
returns text
language plpgsql
stable
set search_path = pg_catalog, pg_temp
as $$
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

-- Nobody but the owner by default (and whoever the DBA grants it to).
revoke execute on function apms_private.sign_context(uuid, text, text, interval, integer) from public;
