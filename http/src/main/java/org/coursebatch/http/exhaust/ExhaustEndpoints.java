package org.coursebatch.http.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.exhaust.ExhaustService;
import org.coursebatch.core.exhaust.ExhaustService.Submission;
import org.coursebatch.core.exhaust.JobRequest;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.http.api.ApiRequest;
import org.coursebatch.http.api.Endpoint;
import org.coursebatch.http.api.FileDownload;

/**
 * Report requests (Sunbird's job request API): submit, list by tag, read one, and download the
 * finished file, on the backend paths ({@code /v1/jobrequest/...}) and the gateway paths
 * ({@code /api/course/v1/jobrequest/...}). A job's {@code downloadUrls} name the download route
 * in the form the request came in.
 */
public final class ExhaustEndpoints {

  static final String BACKEND = "/v1/jobrequest";
  static final String GATEWAY = "/api/course/v1/jobrequest";

  private final ExhaustService service;
  private final Clock clock;

  public ExhaustEndpoints(ExhaustService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  public List<Endpoint> endpoints() {
    List<Endpoint> out = new ArrayList<>();
    for (String prefix : List.of(BACKEND, GATEWAY)) {
      out.add(Endpoint.post(prefix + "/submit", "api.jobrequest.submit", req -> submit(req, prefix)));
      out.add(Endpoint.get(prefix + "/list/{tag}", "api.jobrequest.list", req -> list(req, prefix)));
      out.add(Endpoint.get(prefix + "/read/{requestId}", "api.jobrequest.read", req -> read(req, prefix)));
      out.add(Endpoint.download(prefix + "/download/{requestId}", "api.jobrequest.download", this::download));
    }
    return out;
  }

  private CompletionStage<JobDocument> submit(ApiRequest req, String prefix) {
    return service.submit(submission(req), req.requireCaller()).thenApply(job -> JobDocument.of(job, prefix, clock.instant()));
  }

  /** The request's fields as sent; the service checks them. */
  static Submission submission(ApiRequest req) {
    JsonFields r = req.request();
    JsonNode config = r.node().get("datasetConfig");
    String batchId = config != null && config.isObject() ? JsonFields.of(config, "datasetConfig").string("batchId").orElse(null) : null;
    String channel = req.http().getHeader("X-Channel-Id").map(h -> h.value()).orElse(null);
    return new Submission(r.string("tag").orElse(null), r.string("dataset").orElse(null), batchId,
        r.string("requestedBy").orElse(null), r.string("encryptionKey").orElse(null), r.string("output_format").orElse(null),
        config == null || config.isNull() ? null : config, channel);
  }

  private CompletionStage<JobDocument.JobList> list(ApiRequest req, String prefix) {
    return service.list(req.pathParam("tag"), req.requireCaller()).thenApply(jobs ->
        new JobDocument.JobList(jobs.size(), jobs.stream().map(j -> JobDocument.of(j, prefix, clock.instant())).toList()));
  }

  private CompletionStage<JobDocument> read(ApiRequest req, String prefix) {
    return service.read(req.pathParam("requestId"), req.requireCaller()).thenApply(job -> JobDocument.of(job, prefix, clock.instant()));
  }

  private CompletionStage<FileDownload> download(ApiRequest req) {
    return service.download(req.pathParam("requestId"), req.requireCaller()).thenApply(d -> new FileDownload("application/zip",
        d.job().fileName(), d.job().fileSize() == null ? OptionalLong.empty() : OptionalLong.of(d.job().fileSize()), d.bytes()));
  }
}
