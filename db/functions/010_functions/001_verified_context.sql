-- The request context a session acts in: the workspace and the user the application signed for
-- this backend, or nothing while app.context is unset. The application sets it per transaction,
-- as a bind parameter: select set_config('app.context', $1, true). The token (docs/security.md):
--   v1.<key id>.<backend pid>.<expires: unix seconds>.<workspace uuid>.<hmac: 64 hex>.<user id>
-- with hmac = HMAC-SHA256(key, 'v1.<key id>.<backend pid>.<expires>.<workspace uuid>.<user id>')
-- and the key one of apms_private.context_keys. apms_app cannot read the keys, so a session cannot
-- sign a context of its own: knowing another workspace's id gives it nothing. The backend pid binds
-- the token to one session: a token read elsewhere (another session's query text, a log line) does
-- not verify in any other backend. A token that does not verify is an error (28000), never "no
-- context", so an application with a wrong key or clock learns it on its first statement.
-- Runs as its caller: only the owner may read the keys, and only the owner's definer functions
-- (current_workspace_id, current_user_id, caller_scope) call it. Parallel restricted:
-- pg_backend_pid() is the leader's only in the leader.
create or replace function apms_private.verified_context(out workspace_id uuid, out user_id text)
returns record
language plpgsql
stable
parallel restricted
set search_path = pg_catalog, pg_temp
as $$
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
$$;

-- Nobody but the owner (apms_private has no USAGE for anyone else either).
revoke execute on function apms_private.verified_context() from public;
