package org.coursebatch.core.enrollment.bulk;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Bulk enrolment administration, after the OSID {@code osid.course.program.batch.EnrollmentBatchAdminSession}:
 * a <em>program offering</em> is a course batch, a <em>student</em> a user, an <em>enrollment</em>
 * a user's enrolment in a batch. A session acts for one caller.
 *
 * <p>Errors of the whole operation fail the returned stage with a
 * {@link org.coursebatch.core.error.RejectedException}: NULL_ARGUMENT, NOT_FOUND,
 * PERMISSION_DENIED (the caller does not administer a batch the request names), UNSUPPORTED,
 * TOO_MANY_ITEMS, OPERATION_FAILED. Everything about one item is in that item's response. Results
 * stream as items finish, in no defined order, a bounded number at a time.
 */
public interface EnrollmentBatchAdminSession {

  /** One form per peer (duplicates included), each with its own id. */
  CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForCreate(List<EnrollmentPeer> peers, List<String> enrollmentRecordTypes);

  /** Enrols each form's learner in its batch, under the rules of an administrator's single enrolment. */
  CompletionStage<Source<CreateResponse, NotUsed>> createEnrollments(List<EnrollmentForm> enrollmentForms);

  /** One form per enrolment id (or alias), carrying the enrolment's primary id. */
  CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForUpdate(List<String> enrollmentIds);

  CompletionStage<Source<UpdateResponse, NotUsed>> updateEnrollments(List<EnrollmentForm> enrollmentForms);

  /** Every enrolment in the caller's catalog (see {@link EnrollmentBatchAdmin}). */
  CompletionStage<Source<DeleteResponse, NotUsed>> deleteAllEnrollments();

  CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollments(List<String> enrollmentIds);

  /** Every enrolment of one batch. */
  CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForProgramOffering(String programOfferingId);

  /** Every enrolment of one learner in the caller's catalog. */
  CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForStudent(String resourceId);

  /**
   * The enrolments in the caller's catalog no longer in effect at {@code date}: left (unenrolled)
   * at or before it, or of a batch that ended (the instant after its last day) at or before it.
   */
  CompletionStage<Source<DeleteResponse, NotUsed>> deleteIneffectiveEnrollmentsByDate(Instant date);

  /** Points each alias at an enrolment; an alias already pointing at another enrolment moves. */
  CompletionStage<Source<AliasResponse, NotUsed>> aliasEnrollments(List<AliasRequest> aliasRequests);
}
