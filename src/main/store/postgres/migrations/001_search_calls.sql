-- The per-call search index of the office library (SQLite's search_calls, docs/decisions/0006): one row per
-- call, keyed by the call's search base (newer calls have higher bases, so "newest first" is an index
-- order), its words as lexemes made by the store (search-text.ts: the same words, Hebrew prefix-free
-- forms and phone-number forms as SQLite's index), one column per source so each is rewritten alone.
CREATE TABLE search_calls (
  base bigint PRIMARY KEY,
  segments tsvector NOT NULL DEFAULT ''::tsvector,
  summary tsvector NOT NULL DEFAULT ''::tsvector,
  numbers tsvector NOT NULL DEFAULT ''::tsvector,
  words tsvector GENERATED ALWAYS AS (segments || summary || numbers) STORED
);
CREATE INDEX search_calls_words ON search_calls USING gin (words);
