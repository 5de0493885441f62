package org.coursebatch.core.enrollment.bulk;

import org.coursebatch.core.error.Rejection;

/**
 * The outcome of one alias request: the alias and the primary id it now resolves to, and the
 * enrolment it pointed at before when it moved ({@code previousEnrollmentId}), or the error.
 */
public record AliasResponse(String aliasId, String enrollmentId, String previousEnrollmentId, Rejection error)
    implements ItemResponse {}
