package org.coursebatch.core.enrollment;

import java.time.Instant;

/** A certificate issued to an enrolment for one of its batch's templates. */
public record IssuedCertificate(String certificateId, String templateId, Instant issuedAt, boolean reissue) {}
