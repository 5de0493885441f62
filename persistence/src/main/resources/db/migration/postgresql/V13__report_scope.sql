-- A consent is given for a course to one consumer organisation (Sunbird's user x consumer x
-- object): a learner may share their data of a course with one organisation and not another, and
-- a report lists only those who consented to its requester's organisation. consumer_id '' is the
-- consent that names no organisation, which no report lists.
UPDATE user_consent SET consumer_id = '' WHERE consumer_id IS NULL;
ALTER TABLE user_consent ALTER COLUMN consumer_id SET DEFAULT '';
ALTER TABLE user_consent ALTER COLUMN consumer_id SET NOT NULL;
ALTER TABLE user_consent DROP CONSTRAINT user_consent_pkey;
ALTER TABLE user_consent ADD PRIMARY KEY (user_id, object_id, consumer_id);

-- a course's consents to one organisation for a page of learners (the user-info exhaust)
DROP INDEX user_consent_object_idx;
CREATE INDEX user_consent_object_idx ON user_consent (object_id, consumer_id, user_id);

-- The personal data a report may hold, fixed when it was requested (core/access/ReportScope):
-- the organisation whose consents the user-info report lists, the organisation whose learners'
-- profile columns the progress report fills, or every learner's. Null scope_every_location: a job
-- stored before scopes were recorded (its file is downloaded by a system admin only).
ALTER TABLE exhaust_job ADD COLUMN scope_consent_org VARCHAR(100) NULL;
ALTER TABLE exhaust_job ADD COLUMN scope_location_org VARCHAR(100) NULL;
ALTER TABLE exhaust_job ADD COLUMN scope_every_location BOOLEAN NULL;
