-- The enrolment read model, written by the enrollment-read-model projection.
-- Instants are epoch millis; updated_at is the instant of the last event applied to the row.
-- participation is NONE, ACTIVE, WAITLISTED or INACTIVE; status is Sunbird's 0 not started,
-- 1 in progress, 2 completed; progress is the number of completed leaf contents.
CREATE TABLE enrollment (
  batch_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(100) NOT NULL,
  -- null only for a row started by an event without one (never the first event in practice)
  course_id VARCHAR(100) NULL,
  participation VARCHAR(16) NOT NULL,
  invited BOOLEAN NOT NULL,
  enrolled_date BIGINT NULL,
  added_by VARCHAR(100) NULL,
  waitlist_ticket BIGINT NULL,
  progress INT NOT NULL,
  completion_percentage INT NOT NULL,
  status INT NOT NULL,
  completed_on BIGINT NULL,
  last_read_content_id VARCHAR(100) NULL,
  last_read_content_status INT NULL,
  last_content_access_time BIGINT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, user_id)
);

CREATE INDEX enrollment_user_idx ON enrollment (user_id);
-- participant lists, in their order
CREATE INDEX enrollment_participation_idx ON enrollment (batch_id, participation, enrolled_date, user_id);
-- waitlist positions: count the waiting tickets up to one's own
CREATE INDEX enrollment_waitlist_idx ON enrollment (batch_id, participation, waitlist_ticket);

-- Each content's state as last recorded (already merged by the entity).
CREATE TABLE content_state (
  batch_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(100) NOT NULL,
  content_id VARCHAR(100) NOT NULL,
  course_id VARCHAR(100) NOT NULL,
  status INT NOT NULL,
  progress INT NOT NULL,
  view_count INT NOT NULL,
  completed_count INT NOT NULL,
  last_access_time BIGINT NULL,
  last_completed_time BIGINT NULL,
  -- the client's progressDetails as JSON, or null when never sent
  progress_details CLOB NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, user_id, content_id)
);

-- Every assessment attempt with its question responses (for the response exhaust and group aggregates).
CREATE TABLE assessment_attempt (
  batch_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(100) NOT NULL,
  content_id VARCHAR(100) NOT NULL,
  attempt_id VARCHAR(100) NOT NULL,
  course_id VARCHAR(100) NOT NULL,
  assessment_ts BIGINT NULL,
  total_score DOUBLE PRECISION NOT NULL,
  total_max_score DOUBLE PRECISION NOT NULL,
  -- the list of org.coursebatch.core.enrollment.QuestionResponse as JSON
  responses CLOB NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (batch_id, user_id, content_id, attempt_id)
);

CREATE TABLE enrollment_certificate (
  certificate_id VARCHAR(100) NOT NULL PRIMARY KEY,
  batch_id VARCHAR(100) NOT NULL,
  user_id VARCHAR(100) NOT NULL,
  course_id VARCHAR(100) NOT NULL,
  template_id VARCHAR(100) NOT NULL,
  issued_at BIGINT NOT NULL,
  reissue BOOLEAN NOT NULL
);

CREATE INDEX enrollment_certificate_enrollment_idx ON enrollment_certificate (batch_id, user_id);
