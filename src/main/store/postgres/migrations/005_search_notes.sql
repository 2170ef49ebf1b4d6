-- Twin of the SQLite library's 008_search_notes.sql: people's notes in both search indexes.
ALTER TABLE search_calls DROP COLUMN words;
ALTER TABLE search_calls ADD COLUMN note tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE search_calls ADD COLUMN words tsvector GENERATED ALWAYS AS (segments || summary || numbers || note) STORED;
CREATE INDEX search_calls_words ON search_calls USING gin (words);
ALTER TABLE search_rows DROP CONSTRAINT search_rows_source_check;
ALTER TABLE search_rows ADD CONSTRAINT search_rows_source_check
  CHECK (source IN ('transcript', 'summary', 'number', 'note'));
