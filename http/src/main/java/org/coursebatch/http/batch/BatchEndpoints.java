package org.coursebatch.http.batch;

import org.coursebatch.core.access.Operation;
import org.coursebatch.core.access.AccessPolicy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.batch.BatchQueries;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;

/**
 * The batch API on both Sunbird's backend paths ({@code /v1/course/batch/...}) and its gateway
 * paths ({@code /api/course/v1/batch/...}).
 */
public final class BatchEndpoints {

  private final BatchService batches;
  private final BatchQueries queries;
  private final Clock clock;
  private final int maxSearchLimit;
  private final AccessPolicy access;

  /** @param access who may create batches */
  public BatchEndpoints(BatchService batches, BatchQueries queries, Clock clock, int maxSearchLimit, AccessPolicy access) {
    this.batches = batches;
    this.queries = queries;
    this.clock = clock;
    this.maxSearchLimit = maxSearchLimit;
    this.access = access;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.post("/v1/course/batch/create", "api.course.batch.create", this::create),
        Endpoint.post("/private/v1/course/batch/create", "api.course.batch.create", this::create),
        Endpoint.post("/api/course/v1/batch/create", "api.course.batch.create", this::create),
        Endpoint.patch("/v1/course/batch/update", "api.course.batch.update", this::update),
        Endpoint.patch("/api/course/v1/batch/update", "api.course.batch.update", this::update),
        Endpoint.get("/v1/course/batch/read/{batchId}", "api.course.batch.read", this::read),
        Endpoint.get("/api/course/v1/batch/read/{batchId}", "api.course.batch.read", this::read),
        Endpoint.post("/v1/course/batch/search", "api.course.batch.search", this::search),
        Endpoint.post("/api/course/v1/batch/list", "api.course.batch.search", this::search),
        Endpoint.patch("/v1/course/batch/cert/template/add", "api.course.batch.cert.template.add", this::addTemplate),
        Endpoint.patch("/api/course/batch/cert/v1/template/add", "api.course.batch.cert.template.add", this::addTemplate),
        Endpoint.patch("/v1/course/batch/cert/template/remove", "api.course.batch.cert.template.remove", this::removeTemplate),
        Endpoint.patch("/api/course/batch/cert/v1/template/remove", "api.course.batch.cert.template.remove", this::removeTemplate));
  }

  private CompletionStage<BatchResult> create(ApiRequest req) {
    Caller caller = req.requireCaller();
    access.require(Operation.BATCH_CREATE, req.requester(), AccessPolicy.Target.none());
    var batch = BatchRequests.newBatch(req.request());
    return batches.create(batch, caller, req.client()).thenApply(view -> BatchResult.Saved.of(view.batch().batchId()));
  }

  private CompletionStage<BatchResult> update(ApiRequest req) {
    var update = BatchRequests.update(req.request());
    return batches.update(update.batchId(), update.changes(), req.requireCaller(), req.client())
        .thenApply(view -> BatchResult.Saved.of(view.batch().batchId()));
  }

  private CompletionStage<BatchResult> read(ApiRequest req) {
    return batches.get(req.pathParam("batchId")).thenApply(view -> new BatchResult.Read(BatchDocument.of(view)));
  }

  private CompletionStage<BatchResult> search(ApiRequest req) {
    var search = BatchRequests.search(req.request(), maxSearchLimit);
    List<String> fields = BatchRequests.fields(req.request());
    return queries.search(search, clock.instant()).thenApply(page -> {
      List<?> content = fields.isEmpty()
          ? page.content().stream().map(BatchDocument::of).toList()
          : page.content().stream().map(view -> BatchJson.view(view).retain(fields)).toList();
      return new BatchResult.Search(new BatchResult.Page(page.count(), content));
    });
  }

  private CompletionStage<BatchResult> addTemplate(ApiRequest req) {
    var r = BatchRequests.templateRequest(req.request());
    var template = BatchRequests.template(r.template());
    boolean namesBoth = r.template().mentions("issuer") && r.template().mentions("signatoryList");
    return batches.addTemplate(r.batchId(), r.courseId(), template, namesBoth, req.requireCaller(), req.client())
        .thenApply(v -> BatchResult.TemplatesChanged.DONE);
  }

  private CompletionStage<BatchResult> removeTemplate(ApiRequest req) {
    var r = BatchRequests.templateRequest(req.request());
    String templateId = r.template().requiredString("identifier");
    return batches.removeTemplate(r.batchId(), r.courseId(), templateId, req.requireCaller(), req.client())
        .thenApply(v -> BatchResult.TemplatesChanged.DONE);
  }
}
