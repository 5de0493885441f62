package org.coursebatch.http.exhaust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.coursebatch.http.api.Envelope;
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

  private CompletionStage<JsonNode> submit(ApiRequest req, String prefix) {
    return service.submit(submission(req), req.requireCaller()).thenApply(job -> job(job, prefix));
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

  private CompletionStage<JsonNode> list(ApiRequest req, String prefix) {
    return service.list(req.pathParam("tag"), req.requireCaller()).thenApply(jobs -> {
      ObjectNode result = Envelope.JSON.createObjectNode();
      result.put("count", jobs.size());
      ArrayNode list = result.putArray("jobs");
      jobs.forEach(j -> list.add(job(j, prefix)));
      return result;
    });
  }

  private CompletionStage<JsonNode> read(ApiRequest req, String prefix) {
    return service.read(req.pathParam("requestId"), req.requireCaller()).thenApply(job -> job(job, prefix));
  }

  private CompletionStage<FileDownload> download(ApiRequest req) {
    return service.download(req.pathParam("requestId"), req.requireCaller()).thenApply(d -> new FileDownload("application/zip",
        d.job().fileName(), d.job().fileSize() == null ? OptionalLong.empty() : OptionalLong.of(d.job().fileSize()), d.bytes()));
  }

  /** A job as the API shows it (never its key); instants are epoch milliseconds. */
  ObjectNode job(JobRequest j, String prefix) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("requestId", j.requestId());
    o.put("tag", j.tag());
    o.put("dataset", j.dataset().id());
    o.put("requestedBy", j.requestedBy());
    o.put("requestedChannel", j.requestedChannel());
    o.put("status", j.status().name());
    o.set("datasetConfig", j.datasetConfig() == null ? Envelope.JSON.createObjectNode() : j.datasetConfig());
    o.put("output_format", j.outputFormat());
    o.put("encrypted", j.encrypted());
    ArrayNode urls = o.putArray("downloadUrls");
    if (j.downloadable(clock.instant())) {
      urls.add(prefix + "/download/" + j.requestId());
    }
    putMillis(o, "expiresAt", j.expiresAt());
    ObjectNode stats = o.putObject("jobStats");
    putMillis(stats, "dtJobSubmitted", j.submittedAt());
    putMillis(stats, "dtJobCompleted", j.completedAt());
    if (j.executionTimeMs() == null) {
      stats.putNull("executionTime");
    } else {
      stats.put("executionTime", j.executionTimeMs());
    }
    o.put("attempts", j.attempts());
    o.put("progress", j.progress());
    putMillis(o, "lastUpdated", j.lastUpdated());
    o.put("errMessage", j.errMessage());
    if (j.fileSize() == null) {
      o.putNull("fileSize");
    } else {
      o.put("fileSize", j.fileSize());
    }
    return o;
  }

  private static void putMillis(ObjectNode o, String field, java.time.Instant at) {
    if (at == null) {
      o.putNull(field);
    } else {
      o.put(field, at.toEpochMilli());
    }
  }
}
