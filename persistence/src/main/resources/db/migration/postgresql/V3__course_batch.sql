-- The batch read model, written by the course-batch-read-model projection.
-- Instants are epoch millis; ends_at is the first instant after the inclusive end date.
-- status is the last recorded status code (0 upcoming, 1 in progress, 2 ended); searches compute
-- the status from the clock instead, the wake-up scheduler compares the two.
CREATE TABLE course_batch (
  batch_id VARCHAR(100) NOT NULL PRIMARY KEY,
  course_id VARCHAR(100) NOT NULL,
  name VARCHAR(1000) NOT NULL,
  enrollment_type VARCHAR(32) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NULL,
  enrollment_end_date DATE NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NULL,
  status INT NOT NULL,
  created_by VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NULL,
  -- the whole org.coursebatch.core.batch.Batch as JSON; the columns above are for filtering and sorting
  document TEXT NOT NULL
);

CREATE INDEX course_batch_course_idx ON course_batch (course_id);
CREATE INDEX course_batch_created_by_idx ON course_batch (created_by);
CREATE INDEX course_batch_status_starts_idx ON course_batch (status, starts_at);
CREATE INDEX course_batch_status_ends_idx ON course_batch (status, ends_at);

CREATE TABLE course_batch_mentor (
  batch_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(100) NOT NULL,
  PRIMARY KEY (batch_id, user_id)
);

CREATE INDEX course_batch_mentor_user_idx ON course_batch_mentor (user_id);

CREATE TABLE course_batch_org (
  batch_id VARCHAR(100) NOT NULL,
  org_id VARCHAR(100) NOT NULL,
  PRIMARY KEY (batch_id, org_id)
);

CREATE INDEX course_batch_org_org_idx ON course_batch_org (org_id);
