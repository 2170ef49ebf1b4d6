-- One row per call (rowid = calls.search_base) holding all its indexed text, a column per source: several
-- words find a call that holds them anywhere (in different segments, its summary or its numbers), and a
-- page of calls is read without walking every matching segment of a common word. Each source's columns
-- are rewritten by the store when that source is indexed (see search.ts).
CREATE VIRTUAL TABLE search_calls USING fts5 (
  segments,
  segment_variants,
  summary,
  summary_variants,
  numbers,
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_calls (rowid, segments, segment_variants, summary, summary_variants, numbers)
  SELECT rowid - (rowid % 65536),
    coalesce(group_concat(CASE WHEN source = 'transcript' THEN body END, ' '), ''),
    coalesce(group_concat(CASE WHEN source = 'transcript' THEN variants END, ' '), ''),
    coalesce(group_concat(CASE WHEN source = 'summary' THEN body END, ' '), ''),
    coalesce(group_concat(CASE WHEN source = 'summary' THEN variants END, ' '), ''),
    coalesce(group_concat(CASE WHEN source = 'number' THEN body END, ' '), '')
  FROM search_index GROUP BY rowid - (rowid % 65536);
