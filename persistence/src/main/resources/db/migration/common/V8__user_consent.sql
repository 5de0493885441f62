-- Personal data of the built-in user directory: the profile fields the exhaust reports show, and
-- learners' consent to share their data per course. Like the rest of user_profile, kept out of the
-- journal (which holds user ids only) so that a user's data can be erased by deleting rows.
ALTER TABLE user_profile ADD COLUMN name VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN email VARCHAR(254) NULL;
ALTER TABLE user_profile ADD COLUMN phone VARCHAR(32) NULL;
ALTER TABLE user_profile ADD COLUMN state VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN district VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN block VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN cluster VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN school_id VARCHAR(100) NULL;
ALTER TABLE user_profile ADD COLUMN school_name VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN org_name VARCHAR(200) NULL;
ALTER TABLE user_profile ADD COLUMN user_type VARCHAR(100) NULL;
ALTER TABLE user_profile ADD COLUMN user_sub_type VARCHAR(100) NULL;
ALTER TABLE user_profile ADD COLUMN declared_board VARCHAR(200) NULL;

-- A learner's latest answer to a course that asks for consent (Sunbird's user consent, keyed by
-- user and course). object_id is the course id, object_type Sunbird's objectType (Collection),
-- consumer_id the organisation the data is shared with (null when not named). status is ACTIVE
-- or REVOKED; given_at is the first answer's instant, updated_at the current status's (epoch
-- millis); updated_by who recorded it.
CREATE TABLE user_consent (
  user_id VARCHAR(100) NOT NULL,
  object_id VARCHAR(100) NOT NULL,
  object_type VARCHAR(100) NOT NULL,
  consumer_id VARCHAR(100) NULL,
  status VARCHAR(16) NOT NULL,
  given_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by VARCHAR(100) NOT NULL,
  PRIMARY KEY (user_id, object_id)
);

-- a course's consents for a page of learners (the user-info exhaust)
CREATE INDEX user_consent_object_idx ON user_consent (object_id, user_id);
