package org.coursebatch.core.enrollment.bulk;

/** Make {@code aliasId} another id of enrolment {@code enrollmentId} (a primary id or an alias). */
public record AliasRequest(String enrollmentId, String aliasId) {}
