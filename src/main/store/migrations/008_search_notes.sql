-- People's notes are searched like the rest of a call's text: a column pair of their own in the per-call
-- index (so several words match a call that holds them anywhere, the note included), and each note in the
-- row index at slot 65533, just below the summary (search.ts). FTS5 tables cannot gain columns, so the
-- per-call index is copied into a new one.
CREATE VIRTUAL TABLE search_calls_next USING fts5 (
  segments,
  segment_variants,
  summary,
  summary_variants,
  numbers,
  note,
  note_variants,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_calls_next (rowid, segments, segment_variants, summary, summary_variants, numbers, note, note_variants)
  SELECT rowid, segments, segment_variants, summary, summary_variants, numbers, '', '' FROM search_calls;
DROP TABLE search_calls;
ALTER TABLE search_calls_next RENAME TO search_calls;
