-- What the user should know about a transcript that is not a segment: a recording that ends early,
-- damaged frames that were skipped, no speech found. JSON array of strings.
ALTER TABLE transcripts ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
