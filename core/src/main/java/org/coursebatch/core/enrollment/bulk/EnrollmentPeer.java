package org.coursebatch.core.enrollment.bulk;

/** The two ends of an enrolment to create: a batch (program offering) and a learner (student). */
public record EnrollmentPeer(String batchId, String userId) {}
