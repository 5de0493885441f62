package org.coursebatch.http.enrollment.bulk;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdminSession;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.StreamedResult;

/**
 * Bulk enrolment administration ({@link EnrollmentBatchAdminSession}) over HTTP, on this
 * service's own paths. Forms are answered whole; the outcomes of the operations that change
 * enrolments stream, one item per form, id or alias, in {@code result.responses}.
 */
public final class BulkEnrollmentEndpoints {

  /** The field of a streamed result that lists the items' outcomes. */
  static final String RESPONSES = "responses";

  private final EnrollmentBatchAdmin admin;
  private final ZoneId timeZone;
  private final long maxBodyBytes;

  /**
   * @param timeZone the zone of a {@code yyyy-MM-dd} date in the by-date deletion
   * @param maxBodyBytes the body limit of these routes (they carry up to the session's maximum of items)
   */
  public BulkEnrollmentEndpoints(EnrollmentBatchAdmin admin, ZoneId timeZone, long maxBodyBytes) {
    this.admin = admin;
    this.timeZone = timeZone;
    this.maxBodyBytes = maxBodyBytes;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.post("/v1/enrollments/batch/forms/create", "api.enrollments.batch.forms.create", this::formsForCreate)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.postStreamed("/v1/enrollments/batch/create", "api.enrollments.batch.create", this::create)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.post("/v1/enrollments/batch/forms/update", "api.enrollments.batch.forms.update", this::formsForUpdate)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.postStreamed("/v1/enrollments/batch/update", "api.enrollments.batch.update", this::update)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.postStreamed("/v1/enrollments/batch/delete", "api.enrollments.batch.delete", this::delete)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.deleteStreamed("/v1/enrollments/batch/all", "api.enrollments.batch.delete.all",
            req -> streamed(session(req).deleteAllEnrollments(), DeleteItem::of)),
        Endpoint.deleteStreamed("/v1/enrollments/batch/course-batch/{batchId}", "api.enrollments.batch.delete.course-batch",
            req -> streamed(session(req).deleteEnrollmentsForProgramOffering(req.pathParam("batchId")), DeleteItem::of)),
        Endpoint.deleteStreamed("/v1/enrollments/batch/user/{userId}", "api.enrollments.batch.delete.user",
            req -> streamed(session(req).deleteEnrollmentsForStudent(req.pathParam("userId")), DeleteItem::of)),
        Endpoint.deleteStreamed("/v1/enrollments/batch/ineffective", "api.enrollments.batch.delete.ineffective", this::deleteIneffective),
        Endpoint.postStreamed("/v1/enrollments/batch/aliases", "api.enrollments.batch.aliases", this::alias)
            .withMaxBodyBytes(maxBodyBytes),
        Endpoint.get("/v1/enrollments/{enrollmentId}", "api.enrollments.read", this::read));
  }

  private EnrollmentBatchAdminSession session(ApiRequest req) {
    return admin.session(req.requireCaller(), req.client());
  }

  private CompletionStage<EnrollmentFormsResult> formsForCreate(ApiRequest req) {
    var r = BulkEnrollmentRequests.formsForCreate(req.request());
    return session(req).getEnrollmentFormsForCreate(r.peers(), r.recordTypes()).thenApply(EnrollmentFormsResult::of);
  }

  private CompletionStage<StreamedResult> create(ApiRequest req) {
    var forms = BulkEnrollmentRequests.createForms(req.request());
    return streamed(session(req).createEnrollments(forms), CreateItem::of);
  }

  private CompletionStage<EnrollmentFormsResult> formsForUpdate(ApiRequest req) {
    var ids = BulkEnrollmentRequests.enrollmentIds(req.request());
    return session(req).getEnrollmentFormsForUpdate(ids).thenApply(EnrollmentFormsResult::of);
  }

  private CompletionStage<StreamedResult> update(ApiRequest req) {
    var forms = BulkEnrollmentRequests.updateForms(req.request());
    return streamed(session(req).updateEnrollments(forms), UpdateItem::of);
  }

  private CompletionStage<StreamedResult> delete(ApiRequest req) {
    var ids = BulkEnrollmentRequests.enrollmentIds(req.request());
    return streamed(session(req).deleteEnrollments(ids), DeleteItem::of);
  }

  private CompletionStage<StreamedResult> deleteIneffective(ApiRequest req) {
    var date = BulkEnrollmentRequests.ineffectiveDate(req.query("date"), timeZone);
    return streamed(session(req).deleteIneffectiveEnrollmentsByDate(date), DeleteItem::of);
  }

  private CompletionStage<StreamedResult> alias(ApiRequest req) {
    var aliases = BulkEnrollmentRequests.aliases(req.request());
    return streamed(session(req).aliasEnrollments(aliases), AliasItem::of);
  }

  private CompletionStage<EnrollmentReadResult> read(ApiRequest req) {
    return admin.getEnrollment(req.pathParam("enrollmentId"), req.requireCaller()).thenApply(EnrollmentReadResult::of);
  }

  /** The session's items, each rendered by {@code render}, as the streamed {@code responses}. */
  static <T> CompletionStage<StreamedResult> streamed(CompletionStage<Source<T, NotUsed>> items,
      Function<T, ? extends StreamedResult.Counted> render) {
    return items.thenApply(source -> new StreamedResult(RESPONSES, source.map(render::apply)));
  }
}
