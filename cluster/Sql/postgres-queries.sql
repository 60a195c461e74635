-- The job statements on PostgreSQL, one section per name (read by ClusterStatements). sqlite-queries.sql holds the
-- same names with the same parameters for a localhost cluster; times are timestamptz, durations seconds.

-- name: take_lease
-- Locks the first free row and skips rows other silos are locking at that moment, so two silos never take the same
-- lease and neither waits for the other.
UPDATE mender_leases SET status = 'taken', owner = @owner, expires_at = now() + make_interval(secs => @seconds), takes = takes + 1
WHERE (job_id, lease) = (
    SELECT job_id, lease FROM mender_leases
    WHERE job_id = @job AND (status = 'pending' OR (status = 'taken' AND expires_at < now()))
    ORDER BY lease LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING lease, first_user, user_count, takes

-- name: renew_lease
UPDATE mender_leases SET expires_at = now() + make_interval(secs => @seconds)
WHERE job_id = @job AND lease = @lease AND owner = @owner AND status = 'taken'

-- name: complete_lease
UPDATE mender_leases SET status = 'done', done_at = now(), expires_at = NULL
WHERE job_id = @job AND lease = @lease AND owner = @owner AND status = 'taken'

-- name: create_job
-- A failed job (a silo saw another dataset) is retried by submitting it again once the copies agree.
INSERT INTO mender_jobs (job_id, dataset_name, dataset_path, fingerprint, extractor, model, options, users, prompts, leases, lease_seconds)
VALUES (@id, @name, @path, @fingerprint, @extractor, @model, @options, @users, @prompts, @leases, @lease_seconds)
ON CONFLICT (job_id) DO UPDATE SET dataset_path = excluded.dataset_path, lease_seconds = excluded.lease_seconds,
    status = CASE WHEN mender_jobs.status = 'failed' THEN 'running' ELSE mender_jobs.status END,
    error = CASE WHEN mender_jobs.status = 'failed' THEN NULL ELSE mender_jobs.error END

-- name: create_lease
INSERT INTO mender_leases (job_id, lease, first_user, user_count, prompts)
VALUES (@id, @lease, @first_user, @user_count, @prompts)
ON CONFLICT (job_id, lease) DO NOTHING

-- name: next_job
SELECT j.job_id, j.dataset_name, j.dataset_path, j.fingerprint, j.extractor, j.model, j.options, j.lease_seconds
FROM mender_jobs j
WHERE j.status = 'running'
  AND EXISTS (SELECT 1 FROM mender_leases l WHERE l.job_id = j.job_id
              AND (l.status = 'pending' OR (l.status = 'taken' AND l.expires_at < now())))
ORDER BY j.created_at LIMIT 1

-- name: fail_job
UPDATE mender_jobs SET status = 'failed', error = @error, finished_at = now() WHERE job_id = @id AND status = 'running'

-- name: finish_job
UPDATE mender_jobs SET status = 'done', finished_at = now()
WHERE job_id = @id AND status = 'running'
  AND NOT EXISTS (SELECT 1 FROM mender_leases WHERE job_id = @id AND status <> 'done')

-- name: job_progress
-- Two result sets: the job's counts, then each silo's rows written in the last @window seconds and the seconds since
-- the first of them started.
SELECT j.prompts, j.leases, j.status, j.error,
       (SELECT COUNT(*) FROM mender_preferences p WHERE p.job_id = j.job_id AND p.status = 'completed'),
       (SELECT COUNT(*) FROM mender_preferences p WHERE p.job_id = j.job_id AND p.status = 'failed'),
       (SELECT COUNT(*) FROM mender_leases l WHERE l.job_id = j.job_id AND l.status = 'done')
FROM mender_jobs j WHERE j.job_id = @id;
SELECT silo, COUNT(*), EXTRACT(EPOCH FROM now() - MIN(started_at))::float8 FROM mender_preferences
WHERE job_id = @id AND written_at > now() - make_interval(secs => @window)
GROUP BY silo ORDER BY silo

-- name: finished_steps
SELECT user_id, step, status FROM mender_preferences
WHERE job_id = @job AND user_id IN (SELECT jsonb_array_elements_text(CAST(@users AS jsonb)))

-- name: write_row
-- The key includes the prompt hash: a redone prompt upserts the same row.
INSERT INTO mender_preferences (job_id, user_id, step, prompt_hash, user_index, window_start, status, preferences, sentiments,
    sentiment_by, extractor, model, attempts, error, input_tokens, output_tokens, started_at, completed_at, fitting, silo)
VALUES (@job, @user, @step, @prompt_hash, @user_index, @window_start, @status, @preferences, @sentiments,
    @sentiment_by, @extractor, @model, @attempts, @error, @input_tokens, @output_tokens, @started_at, @completed_at, @fitting, @silo)
ON CONFLICT (job_id, user_id, step, prompt_hash) DO UPDATE SET
    status = excluded.status, preferences = excluded.preferences, sentiments = excluded.sentiments,
    sentiment_by = excluded.sentiment_by, attempts = excluded.attempts, error = excluded.error,
    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, started_at = excluded.started_at,
    completed_at = excluded.completed_at, fitting = excluded.fitting, silo = excluded.silo, written_at = now()

-- name: export_rows
-- Times as the ISO 8601 text the SQLite store keeps, so both are read by PreferenceStore.ReadRow.
SELECT user_id, user_index, step, window_start, status, preferences, sentiments, sentiment_by, extractor, model,
       prompt_hash, attempts, error, input_tokens, output_tokens,
       to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS.USOF'), to_char(completed_at, 'YYYY-MM-DD"T"HH24:MI:SS.USOF'), fitting
FROM mender_preferences WHERE job_id = @job ORDER BY user_index, step, written_at
