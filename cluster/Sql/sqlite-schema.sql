-- The job tables of a localhost cluster, on SQLite: postgres-schema.sql's without Orleans' membership (a localhost
-- cluster uses Orleans' development clustering) and with times as ISO 8601 text in UTC. Applied by every silo and
-- submitter on start, inside one write transaction.

CREATE TABLE IF NOT EXISTS mender_jobs
(
    job_id text PRIMARY KEY,
    dataset_name text NOT NULL,
    dataset_path text NOT NULL,
    fingerprint text NOT NULL,
    extractor text NOT NULL,
    model text NOT NULL DEFAULT '',
    options text NOT NULL,
    users integer NOT NULL,
    prompts integer NOT NULL,
    leases integer NOT NULL,
    lease_seconds integer NOT NULL,
    status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    error text,
    created_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at text
);

CREATE TABLE IF NOT EXISTS mender_leases
(
    job_id text NOT NULL REFERENCES mender_jobs (job_id) ON DELETE CASCADE,
    lease integer NOT NULL,
    first_user integer NOT NULL,
    user_count integer NOT NULL,
    prompts integer NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'taken', 'done')),
    owner text,
    expires_at text,
    takes integer NOT NULL DEFAULT 0,
    done_at text,
    PRIMARY KEY (job_id, lease)
);
CREATE INDEX IF NOT EXISTS mender_leases_open ON mender_leases (job_id, status);

CREATE TABLE IF NOT EXISTS mender_preferences
(
    job_id text NOT NULL REFERENCES mender_jobs (job_id) ON DELETE CASCADE,
    user_id text NOT NULL,
    step integer NOT NULL,
    prompt_hash text NOT NULL,
    user_index integer NOT NULL,
    window_start integer NOT NULL,
    status text NOT NULL CHECK (status IN ('completed', 'failed')),
    preferences text NOT NULL,
    sentiments text NOT NULL,
    sentiment_by text,
    extractor text NOT NULL,
    model text,
    attempts integer NOT NULL,
    error text,
    input_tokens integer NOT NULL,
    output_tokens integer NOT NULL,
    started_at text NOT NULL,
    completed_at text,
    fitting text,
    silo text NOT NULL,
    written_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (job_id, user_id, step, prompt_hash)
);
CREATE INDEX IF NOT EXISTS mender_preferences_recent ON mender_preferences (job_id, written_at);
