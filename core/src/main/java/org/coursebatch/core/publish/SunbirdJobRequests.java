package org.coursebatch.core.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job requests Sunbird's data pipeline reads, made from outbound events: a rule, no I/O. A
 * deployment that runs Sunbird's jobs next to this service points each kind at its topic
 * (docs/events.md names the jobs that consume them):
 *
 * <ul>
 *   <li>{@link Kind#CERTIFICATE} ({@code {env}.issue.certificate.request}): a learner completed the
 *       course ({@code enrolment.completed}): {@code issue-certificate} for that learner, as
 *       Sunbird's activity aggregator asks for it ({@code trigger: auto-issue}).
 *   <li>{@link Kind#ACTIVITY} ({@code {env}.coursebatch.job.request}): progress was recorded
 *       ({@code enrolment.progress-recorded}): {@code batch-enrolment-update} with each content's
 *       status, which the activity aggregator folds into the learner's course aggregates.
 *   <li>{@link Kind#ENROLMENT_SYNC} ({@code {env}.batch.enrolment.sync.request}): a learner was
 *       enrolled ({@code enrolment.enrolled}, {@code enrolment.promoted}): {@code batch-enrolment-sync},
 *       which has the aggregates of that enrolment computed afresh (after a deleted enrolment was
 *       enrolled again, say).
 * </ul>
 *
 * <p>Every request is a {@code BE_JOB_REQUEST} event as Sunbird's services write them. {@code ets}
 * is the journal write instant and {@code mid} is derived from the outbound event's id, so a
 * request delivered twice (at least once) is the same message twice.
 */
public final class SunbirdJobRequests {

  /** Which Sunbird topic a request goes to. */
  public enum Kind { CERTIFICATE, ACTIVITY, ENROLMENT_SYNC }

  /** A request of {@code kind}, with the Kafka key it is sent with and its JSON body. */
  public record JobRequest(Kind kind, String key, ObjectNode body) {
    public byte[] bytes() {
      return OutboundJson.bytes(body);
    }
  }

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private SunbirdJobRequests() {}

  /** The requests {@code event} makes (none for most types). */
  public static List<JobRequest> of(OutboundEvent event) {
    return switchOn(event).map(List::of).orElse(List.of());
  }

  private static Optional<JobRequest> switchOn(OutboundEvent e) {
    if (e.userId() == null || e.batchId() == null) {
      return Optional.empty();
    }
    switch (e.type()) {
      case "enrolment.completed": {
        if (e.courseId() == null) {
          return Optional.empty();
        }
        ObjectNode edata = JSON.objectNode();
        edata.putArray("userIds").add(e.userId());
        edata.put("action", "issue-certificate");
        edata.put("iteration", 1);
        edata.put("trigger", "auto-issue");
        edata.put("batchId", e.batchId());
        edata.put("reIssue", false);
        edata.put("courseId", e.courseId());
        return Optional.of(request(Kind.CERTIFICATE, e, "Course Certificate Generator",
            e.batchId() + "_" + e.courseId(), "CourseCertificateGeneration", edata));
      }
      case "enrolment.progress-recorded": {
        ObjectNode edata = JSON.objectNode();
        ArrayNode contents = edata.putArray("contents");
        for (JsonNode c : e.change().path("contents")) {
          contents.addObject().put("contentId", c.path("contentId").asText()).put("status", c.path("status").asInt());
        }
        edata.put("action", "batch-enrolment-update");
        edata.put("iteration", 1);
        edata.put("batchId", e.batchId());
        edata.put("userId", e.userId());
        edata.put("courseId", e.courseId());
        return Optional.of(request(Kind.ACTIVITY, e, "Course Batch Updater", e.batchId() + "_" + e.userId(),
            "CourseBatchEnrolment", edata));
      }
      case "enrolment.enrolled": {
        ObjectNode edata = JSON.objectNode();
        edata.put("action", "batch-enrolment-sync");
        edata.put("iteration", 1);
        edata.put("batchId", e.batchId());
        edata.put("userId", e.userId());
        edata.put("courseId", e.courseId());
        edata.putArray("reset").add("completionPercentage").add("status").add("progress");
        return Optional.of(request(Kind.ENROLMENT_SYNC, e, "Course Batch Updater", e.batchId() + "_" + e.userId(),
            "CourseBatchEnrolment", edata));
      }
      default:
        return Optional.empty();
    }
  }

  private static JobRequest request(Kind kind, OutboundEvent e, String actorId, String objectId, String objectType,
      ObjectNode edata) {
    long ets = e.occurredAt().toEpochMilli();
    ObjectNode body = JSON.objectNode();
    body.put("eid", "BE_JOB_REQUEST");
    body.put("ets", ets);
    body.put("mid", "LP." + ets + "." + UUID.nameUUIDFromBytes((kind + "|" + e.eventId()).getBytes(StandardCharsets.UTF_8)));
    body.putObject("actor").put("id", actorId).put("type", "System");
    body.putObject("context").putObject("pdata").put("ver", "1.0").put("id", "org.sunbird.platform");
    body.putObject("object").put("id", objectId).put("type", objectType);
    body.set("edata", edata);
    return new JobRequest(kind, e.key(), body);
  }
}
