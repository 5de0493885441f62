package org.coursebatch.http.enrollment;

import java.util.List;

/** A user's enrolments (active and waitlisted) with their courses: {@code courses}. */
public record UserEnrollmentListResult(List<UserEnrollment> courses) {}
