-- What the office decides about a conversation, kept apart from what the pipeline derives: the follow-up
-- flag a person set (NULL: as the summary suggests), a note, and who it is assigned to. One row per
-- conversation (its parent leg's calls.id), written only by people.
CREATE TABLE call_reviews (
  call_id    INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
  follow_up  INTEGER CHECK (follow_up IN (0, 1)),
  note       TEXT NOT NULL DEFAULT '',
  assignee   TEXT,
  updated_at INTEGER NOT NULL,
  updated_by TEXT
);
CREATE INDEX call_reviews_assignee ON call_reviews (assignee) WHERE assignee IS NOT NULL;
