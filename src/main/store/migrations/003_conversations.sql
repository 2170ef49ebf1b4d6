-- Conversations, not call legs. A call that TwiML forwards (<Dial>) is two or more Calls at Twilio: the
-- parent leg (the caller to the office number) and child legs (the office to whoever answered), linked
-- by parent_call_sid. The library lists one conversation per parent; recordings made on any leg belong
-- to it.
ALTER TABLE calls ADD COLUMN parent_call_sid TEXT;
-- The conversation (its parent leg's row) this leg belongs to; NULL for a conversation's own row, and
-- for a child whose parent is not in the library (it stands alone until the parent arrives).
ALTER TABLE calls ADD COLUMN conversation_id INTEGER REFERENCES calls (id) ON DELETE SET NULL;
CREATE INDEX calls_by_parent_sid ON calls (parent_call_sid) WHERE parent_call_sid IS NOT NULL;
CREATE INDEX calls_by_conversation ON calls (conversation_id) WHERE conversation_id IS NOT NULL;

-- The conversation a recording belongs to (its leg's conversation, or the leg itself).
ALTER TABLE recordings ADD COLUMN conversation_id INTEGER REFERENCES calls (id) ON DELETE CASCADE;
UPDATE recordings SET conversation_id = call_id;
CREATE INDEX recordings_by_conversation ON recordings (conversation_id, date_created DESC);

-- Twilio's SIP trunking directions were read the wrong way round: trunking-originating comes in from
-- the phone network, trunking-terminating goes out to it.
UPDATE calls SET other_party = from_number WHERE direction = 'trunking-originating';
UPDATE calls SET other_party = to_number WHERE direction = 'trunking-terminating';

-- What Twilio has not finished: calls still in progress and recordings still being produced. Each is
-- asked about on its own, ever less often (next_check_at), and given up on after a day.
CREATE TABLE twilio_pending (
  kind           TEXT    NOT NULL CHECK (kind IN ('call', 'recording')),
  sid            TEXT    NOT NULL,
  first_seen_at  INTEGER NOT NULL,
  next_check_at  INTEGER NOT NULL,
  checks         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (kind, sid)
) WITHOUT ROWID;
CREATE INDEX twilio_pending_due ON twilio_pending (next_check_at);
