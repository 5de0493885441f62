-- The built-in groups store (standalone mode): groups and their members, written whole by
-- PUT /v1/group/{groupId} and read by the group activity aggregates. updated_at is epoch millis.
-- ("group" is a reserved word, hence learner_group.)
CREATE TABLE learner_group (
  group_id VARCHAR(100) NOT NULL PRIMARY KEY,
  name VARCHAR(200) NULL,
  updated_by VARCHAR(100) NOT NULL,
  updated_at BIGINT NOT NULL
);

-- member_index is the member's place in the group's list, from 0. role is admin or member,
-- status active or inactive (Sunbird's groups service's values).
CREATE TABLE learner_group_member (
  group_id VARCHAR(100) NOT NULL REFERENCES learner_group (group_id) ON DELETE CASCADE,
  user_id VARCHAR(100) NOT NULL,
  member_index INT NOT NULL,
  name VARCHAR(200) NULL,
  role VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  created_by VARCHAR(100) NULL,
  PRIMARY KEY (group_id, user_id)
);
