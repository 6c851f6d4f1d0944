-- Search that scales (issue #17, item 7): full-text and trigram indexes over
-- message bodies (private notes included: only agents search), customers' name,
-- email and metadata values, and customer notes. services/search/ queries them;
-- docs/architecture.md#search says why the choices below.
--
-- * 'simple' text search configuration: messages are multilingual, and a
--   language's stemmer and stop words would mangle the others (and drop words
--   like "will" or "no" that agents search for). 'simple' lowercases and keeps
--   every word; phrases and -exclusions still work through websearch_to_tsquery.
-- * Expression indexes, not stored generated columns: adding a generated column
--   rewrites the whole messages table under an ACCESS EXCLUSIVE lock. An index
--   build only takes a SHARE lock (reads go on, writes wait for the build; about
--   a minute per million messages on this machine, see docs/benchmarks.md#s13).
--   The runner applies each file in a transaction, so CREATE INDEX CONCURRENTLY
--   is not possible here; docs/deploy.md says how to pre-build these indexes
--   concurrently on a large database before upgrading (same names: IF NOT EXISTS
--   then skips them).
-- * account_id is the first column of every index (btree_gin makes uuid a GIN
--   key): the planner intersects the tenant's posting list with the words', so a
--   query never reads another account's matches, and a big tenant does not slow
--   a small one down.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The searchable text of a customer: name, email and the values of the top-level
-- metadata keys (nested values as their JSON text). IMMUTABLE: jsonb_each_text
-- and concatenation depend on nothing but the arguments, so indexes may use it.
CREATE FUNCTION customer_search_text(name text, email text, metadata jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ', name, email, replace(replace(email, '@', ' '), '.', ' '),
    (SELECT string_agg(value, ' ') FROM jsonb_each_text(CASE WHEN jsonb_typeof(metadata) = 'object' THEN metadata ELSE '{}'::jsonb END)))
$$;

CREATE INDEX IF NOT EXISTS messages_search_fts_idx ON messages
  USING gin (account_id, to_tsvector('simple', coalesce(body, '')));
CREATE INDEX IF NOT EXISTS messages_search_trgm_idx ON messages
  USING gin (account_id, body gin_trgm_ops);

CREATE INDEX IF NOT EXISTS customers_search_fts_idx ON customers
  USING gin (account_id, to_tsvector('simple', customer_search_text(name, email, metadata)));
CREATE INDEX IF NOT EXISTS customers_search_trgm_idx ON customers
  USING gin (account_id, customer_search_text(name, email, metadata) gin_trgm_ops);

CREATE INDEX IF NOT EXISTS notes_search_fts_idx ON notes
  USING gin (account_id, to_tsvector('simple', body));
CREATE INDEX IF NOT EXISTS notes_search_trgm_idx ON notes
  USING gin (account_id, body gin_trgm_ops);
