-- Raised by a trigger function fired on a table it was not written for (ZE001): a temp table that
-- looks like one of ours, or any other table someone attached it to. Each trigger function checks
-- TG_TABLE_SCHEMA and TG_TABLE_NAME itself (a cheap comparison on every row) and calls this only to
-- refuse, so the message is written once.
create or replace function public.refuse_foreign_table(p_function text, p_schema name, p_table name)
returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  raise exception '%() refused: it was not written for table %.%', p_function,
    pg_catalog.quote_ident(p_schema), pg_catalog.quote_ident(p_table)
    using errcode = 'ZE001',
          hint = 'the migration attaches its trigger functions in db/functions; attach nothing else to them';
end
$$;

-- Nobody but the owner: only the trigger functions call it.
revoke execute on function public.refuse_foreign_table(text, name, name) from public;
