-- Exhaust report jobs (Sunbird's job_request) and their finished files.
-- Instants are epoch millis. status is SUBMITTED, PROCESSING, SUCCESS or FAILED; attempts counts
-- the times a worker took the job up and fences its updates (a worker whose lease ran out no
-- longer matches). heartbeat_at is the last sign of life of the worker of a PROCESSING job;
-- not_before holds a failed attempt's retry back. encryption_key is the file's password, sealed
-- with the service's exhaust key, kept only while the job is pending or running (null once it
-- finished). dataset_config is the request's datasetConfig as JSON.
CREATE TABLE exhaust_job (
  request_id VARCHAR(64) NOT NULL PRIMARY KEY,
  tag VARCHAR(200) NOT NULL,
  dataset VARCHAR(32) NOT NULL,
  batch_id VARCHAR(100) NOT NULL,
  course_id VARCHAR(100) NOT NULL,
  requested_by VARCHAR(100) NOT NULL,
  requested_channel VARCHAR(100) NULL,
  output_format VARCHAR(16) NOT NULL,
  dataset_config TEXT NOT NULL,
  encrypted BOOLEAN NOT NULL,
  encryption_key VARCHAR(1000) NULL,
  status VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  progress INT NOT NULL,
  err_message VARCHAR(2000) NULL,
  submitted_at BIGINT NOT NULL,
  not_before BIGINT NOT NULL,
  started_at BIGINT NULL,
  heartbeat_at BIGINT NULL,
  completed_at BIGINT NULL,
  execution_time BIGINT NULL,
  updated_at BIGINT NOT NULL,
  file_name VARCHAR(300) NULL,
  file_size BIGINT NULL,
  expires_at BIGINT NULL
);

-- lists by tag, most recent first
CREATE INDEX exhaust_job_tag_idx ON exhaust_job (tag, submitted_at);
-- the workers' claims: runnable jobs, oldest first
CREATE INDEX exhaust_job_status_idx ON exhaust_job (status, submitted_at);

-- A finished file in pieces of up to 1 MiB, so that any node can serve the download.
CREATE TABLE exhaust_file_chunk (
  request_id VARCHAR(64) NOT NULL,
  seq INT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (request_id, seq)
);
