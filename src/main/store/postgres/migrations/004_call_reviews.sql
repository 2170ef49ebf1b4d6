-- Twin of the SQLite library's 006_call_reviews.sql: what people decided about a conversation.
CREATE TABLE call_reviews (
  call_id    bigint PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
  follow_up  boolean,
  note       text NOT NULL DEFAULT '',
  assignee   text,
  updated_at bigint NOT NULL,
  updated_by text
);
CREATE INDEX call_reviews_assignee ON call_reviews (assignee) WHERE assignee IS NOT NULL;
