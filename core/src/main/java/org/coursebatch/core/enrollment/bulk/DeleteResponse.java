package org.coursebatch.core.enrollment.bulk;

import org.coursebatch.core.error.Rejection;

/**
 * The outcome of deleting one enrolment: the id as requested (a primary id or an alias), the
 * primary id it resolved to (when it did), or the error.
 */
public record DeleteResponse(String requestedId, String enrollmentId, Rejection error) implements ItemResponse {}
