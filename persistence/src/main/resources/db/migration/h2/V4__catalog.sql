-- The built-in course catalog (standalone mode): courses and certificate-template assets.
CREATE TABLE catalog_course (
  course_id VARCHAR(100) NOT NULL PRIMARY KEY,
  name VARCHAR(1000) NOT NULL,
  status VARCHAR(32) NOT NULL,
  trackable BOOLEAN NOT NULL,
  user_consent BOOLEAN NOT NULL,
  leaf_nodes_count INT NOT NULL,
  -- the registered hierarchy as JSON (Course.document())
  document CLOB NOT NULL,
  updated_by VARCHAR(100) NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE catalog_certificate_template (
  template_id VARCHAR(100) NOT NULL PRIMARY KEY,
  name VARCHAR(1000) NOT NULL,
  url VARCHAR(2000) NULL,
  -- the CertificateTemplateAsset as JSON
  document CLOB NOT NULL,
  updated_by VARCHAR(100) NOT NULL,
  updated_at BIGINT NOT NULL
);
