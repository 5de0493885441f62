-- The built-in user directory (standalone mode): what the service knows of users beyond their ids.
-- Kept out of the journal so that it can be erased.
CREATE TABLE user_profile (
  user_id VARCHAR(100) NOT NULL PRIMARY KEY,
  root_org_id VARCHAR(100) NULL,
  updated_by VARCHAR(100) NOT NULL,
  updated_at BIGINT NOT NULL
);
