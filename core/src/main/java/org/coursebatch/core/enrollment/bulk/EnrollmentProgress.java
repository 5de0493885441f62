package org.coursebatch.core.enrollment.bulk;

/**
 * The progress part of an enrolment (record type {@link EnrollmentBatchAdmin#PROGRESS_RECORD}).
 *
 * @param status Sunbird's 0 not started, 1 in progress, 2 completed
 * @param progress the number of completed leaf contents
 */
public record EnrollmentProgress(int status, int progress, int completionPercentage) {}
