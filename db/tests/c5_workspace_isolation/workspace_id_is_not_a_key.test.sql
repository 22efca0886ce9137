-- C5: knowing another workspace's id lets a session do nothing as that workspace. A session acts for
-- the workspace of its verified request context (docs/security.md): a token the application signed
-- with a key apms_app cannot read, for this backend, for minutes. Tried as an attacker in workspace
-- A who knows B's id and user ids: the old setting app.workspace_id shows nothing; a token with B's
-- id swapped in, one for another backend (as read from another session's query text), an expired
-- one, one valid for hours, one of an unknown key and a malformed one are each refused (28000); the
-- keys and the signing function are out of reach (42501). A's own token shows A and nothing of B.
-- A key is 32 bytes at least (a short one is guessable) and its id holds no dot (the token's
-- separator): the table refuses either (23514).
begin;
\ir ../_support/helpers.psql
select plan(15);

-- SETUP: two busy workspaces, as the owner; tokens as an attacker could make or find them
do $$
declare
  v_key text := 'gonogo-suite-' || pg_backend_pid();
  v_a text;
begin
  perform pg_temp.gn_make_busy_workspace('a');
  perform pg_temp.gn_make_busy_workspace('b');
  perform pg_temp.gn_act_as(pg_temp.gn_get('a_ws')::uuid, pg_temp.gn_get('a_u1'));
  v_a := current_setting('app.context');
  perform pg_temp.gn_set('tok_a', v_a);
  perform pg_temp.gn_set('tok_swapped', replace(v_a, pg_temp.gn_get('a_ws'), pg_temp.gn_get('b_ws')));
  perform pg_temp.gn_set('tok_unknown_key', replace(v_a, '.' || v_key || '.', '.gonogo-no-such-key.'));
  perform pg_temp.gn_set('tok_other_backend',
    apms_private.sign_context(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('b_u1'), v_key, interval '5 minutes', pg_backend_pid() + 1));
  perform pg_temp.gn_set('tok_expired',
    apms_private.sign_context(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('b_u1'), v_key, interval '-1 minute'));
  perform pg_temp.gn_set('tok_hours',
    apms_private.sign_context(pg_temp.gn_get('b_ws')::uuid, pg_temp.gn_get('b_u1'), v_key, interval '2 hours'));
  perform set_config('app.context', '', true);
end $$;
create function pg_temp.gn_count_with_context(p_token text) returns text
language plpgsql as $$
begin
  perform set_config('app.context', p_token, true);
  return pg_temp.gn_try_rows('select from public.workflow_instances');
end $$;
set local role apms_app;

-- TEST: B's id in the setting the application used to trust shows nothing
do $$ begin perform set_config('app.workspace_id', pg_temp.gn_get('b_ws'), true); end $$;
select is(pg_temp.gn_try_rows('select from public.workflow_instances'), '0',
  'c5: app.workspace_id set to B''s id shows apms_app no instance (it decides nothing)');

-- TEST: every token an attacker can make or find is refused
select is(pg_temp.gn_count_with_context(pg_temp.gn_get('tok_swapped')), '28000: app.context refused: the signature does not verify',
  'c5: A''s token with B''s workspace id swapped in is refused');
select is(pg_temp.gn_count_with_context(pg_temp.gn_get('tok_other_backend')),
  format('28000: app.context refused: signed for backend %s, this is backend %s', pg_backend_pid() + 1, pg_backend_pid()),
  'c5: a token for B signed for another backend (as read from its query text) is refused');
select is(pg_temp.gn_count_with_context(pg_temp.gn_get('tok_expired')), '28000: app.context refused: expired 60 s ago',
  'c5: an expired token is refused');
select ok(pg_temp.gn_count_with_context(pg_temp.gn_get('tok_hours')) like '28000: app.context refused: valid for % s, more than an hour',
  'c5: a token valid for hours is refused');
select is(pg_temp.gn_count_with_context(pg_temp.gn_get('tok_unknown_key')),
  '28000: app.context refused: key gonogo-no-such-key is unknown or revoked', 'c5: a token of an unknown key is refused');
select is(pg_temp.gn_count_with_context('v1.' || pg_temp.gn_get('b_ws')), '28000: app.context refused: not a v1 token',
  'c5: a malformed token is refused');

-- TEST: the keys and the signing function are out of reach
select is(pg_temp.gn_try('select secret from apms_private.context_keys'), '42501: permission denied for schema apms_private',
  'c5: apms_app cannot read the signing keys');
select is(pg_temp.gn_try(format('select apms_private.sign_context(%L, %L)', pg_temp.gn_get('b_ws'), pg_temp.gn_get('b_u1'))),
  '42501: permission denied for schema apms_private', 'c5: apms_app cannot sign a context');

-- TEST: A's own token shows A's rows and none of B's, and names A's user
do $$ begin perform set_config('app.context', pg_temp.gn_get('tok_a'), true); end $$;
select is((select count(*)::int from public.workflow_instances where workspace_id = pg_temp.gn_get('b_ws')::uuid), 0,
  'c5: with A''s token apms_app sees none of B''s instances');
select is((select count(*)::int from public.workflow_instances where workspace_id = pg_temp.gn_get('a_ws')::uuid), 1,
  'c5: with A''s token apms_app sees A''s instance');
select is(public.current_user_id(), pg_temp.gn_get('a_u1'), 'c5: A''s token names A''s user');
select is(public.current_workspace_id()::text, pg_temp.gn_get('a_ws'), 'c5: A''s token names A''s workspace');

reset role;

-- TEST: keys, as the owner creates them
select throws_ok($$insert into apms_private.context_keys (id, secret) values ('gonogo-short', decode(repeat('ab', 16), 'hex'))$$,
  '23514', null, 'c5: a signing key shorter than 32 bytes is refused');
select throws_ok($$insert into apms_private.context_keys (id, secret) values ('gonogo.dot', decode(repeat('ab', 32), 'hex'))$$,
  '23514', null, 'c5: a signing key id with a dot (the token''s separator) is refused');

select * from finish();
rollback;
