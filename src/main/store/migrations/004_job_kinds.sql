-- Job kinds are named for what they do (and the runner parses each kind's payload by this name).
UPDATE jobs SET kind = 'recording-download' WHERE kind = 'download';
UPDATE jobs SET kind = 'recording-transcription' WHERE kind = 'transcribe';
UPDATE jobs SET kind = 'recording-summary' WHERE kind = 'summarize';
UPDATE jobs SET kind = 'model-download' WHERE kind = 'model';
