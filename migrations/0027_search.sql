-- Search that scales (issue #17, item 7): full-text and trigram indexes over
-- message bodies (private notes included: only agents search), customers' name,
-- email and metadata values, and customer notes; services/search/ queries them.
--
-- * 'simple' text search configuration: messages are multilingual, and a
--   language's stemmer and stop words would mangle the others (and drop words
--   like "will" or "no" that agents search for). 'simple' lowercases and keeps
--   every word; phrases and -exclusions still work through websearch_to_tsquery.
-- * messages get a stored tsvector column kept by a trigger: ranking and
--   filtering a few thousand candidates must not re-parse each body (an
--   expression index finds matches, but every ts_rank or recheck parses the
--   body again; measured in docs/benchmarks.md#s13-search-over-1000000-messages). Not a GENERATED
--   column: adding one rewrites the table under an ACCESS EXCLUSIVE lock (no
--   reads either). ADD COLUMN without a default is instant; the backfill UPDATE
--   locks only the rows it writes (reads and new messages go on); the index
--   builds take a SHARE lock (reads go on, writes wait). Every step is
--   idempotent, so on a large database docs/deploy.md#search-indexes-on-a-large-database
--   runs them beforehand in batches and CONCURRENTLY, and this file then
--   finds nothing left to do. (The runner applies each file in one
--   transaction, so CONCURRENTLY cannot be used here.)
-- * customers and notes are small next to messages: expression indexes.
-- * account_id is the first column of every index (btree_gin makes uuid a GIN
--   key): the planner intersects the tenant's posting list with the words', so a
--   query never reads another account's matches, and a big tenant does not slow
--   a small one down.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The searchable text of a customer: name, email and the values of the top-level
-- metadata keys (nested values as their JSON text). IMMUTABLE: jsonb_each_text
-- and concatenation depend on nothing but the arguments, so indexes may use it.
CREATE OR REPLACE FUNCTION customer_search_text(name text, email text, metadata jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ', name, email, replace(replace(email, '@', ' '), '.', ' '),
    (SELECT string_agg(value, ' ') FROM jsonb_each_text(CASE WHEN jsonb_typeof(metadata) = 'object' THEN metadata ELSE '{}'::jsonb END)))
$$;

ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_vector tsvector;

CREATE OR REPLACE FUNCTION messages_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := to_tsvector('simple', coalesce(NEW.body, ''));
  RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS messages_search_vector ON messages;
CREATE TRIGGER messages_search_vector BEFORE INSERT OR UPDATE OF body ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_search_vector();

UPDATE messages SET search_vector = to_tsvector('simple', coalesce(body, '')) WHERE search_vector IS NULL;

CREATE INDEX IF NOT EXISTS messages_search_fts_idx ON messages
  USING gin (account_id, search_vector);
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
