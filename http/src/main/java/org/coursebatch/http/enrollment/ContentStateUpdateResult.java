package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.enrollment.ProgressReport;

/**
 * The answer to a content-state update: the accepted items ({@code id: SUCCESS}) first, then the
 * batches whose items were not recorded, by reason, and the items left out (keys only when there
 * are some); or, for an enrolment sync, {@code response: SUCCESS} alone.
 */
@JsonPropertyOrder({"accepted"})
public record ContentStateUpdateResult(
    @JsonAnyGetter Map<String, String> accepted,
    @JsonProperty("BATCH_NOT_EXISTS") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> batchNotExists,
    @JsonProperty("NOT_A_ON_GOING_BATCH") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notOngoing,
    @JsonProperty("NOT_ENROLLED") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notEnrolled,
    @JsonProperty("CONTENT_NOT_IN_COURSE") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notInCourse,
    @JsonProperty("SERVICE_UNAVAILABLE") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> unavailable,
    @JsonProperty("INVALID_ITEMS") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LeftOut> invalidItems,
    @JsonInclude(JsonInclude.Include.NON_NULL) String response) {

  /** An item left out, by its place in the request, with the error it alone got. */
  public record LeftOut(String item, String err, String errmsg) {}

  /** The enrolment a sync asked about exists. */
  public static final ContentStateUpdateResult SYNCED =
      new ContentStateUpdateResult(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), EnrolResult.SUCCESS.response());

  static ContentStateUpdateResult of(ProgressReport report, List<ContentStateRequests.InvalidItem> invalid) {
    // lms-service drops invalid items without a word; the client is told which and why.
    List<LeftOut> leftOut = invalid.stream().map(i -> new LeftOut(i.item(), i.why().code().code(), i.why().message())).toList();
    return new ContentStateUpdateResult(report.accepted(), report.batchNotExists(), report.notOngoing(), report.notEnrolled(),
        report.notInCourse(), report.unavailable(), leftOut, null);
  }
}
