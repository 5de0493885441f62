package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.enrollment.EnrollmentService.ItemOutcome;

/** Per-user outcomes of a participants request, by user id in the order of the request. */
public record UserOutcomesResult(String response, Map<String, UserOutcome> users) {

  public static UserOutcomesResult of(Map<String, ItemOutcome> outcomes) {
    return new UserOutcomesResult(EnrolResult.SUCCESS.response(), UserOutcome.byUser(outcomes, false));
  }

  /**
   * {@code SUCCESS} (with the certificates issued, for a certificate issue) or {@code FAILED} with
   * the error code and message that user got.
   */
  public record UserOutcome(
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String err,
      @JsonInclude(JsonInclude.Include.NON_NULL) String errmsg,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Issued> issued) {

    static Map<String, UserOutcome> byUser(Map<String, ItemOutcome> outcomes, boolean withIssued) {
      Map<String, UserOutcome> users = new LinkedHashMap<>();
      outcomes.forEach((userId, outcome) -> users.put(userId, of(outcome, withIssued)));
      return users;
    }

    static UserOutcome of(ItemOutcome outcome, boolean withIssued) {
      if (!outcome.succeeded()) {
        return new UserOutcome("FAILED", outcome.rejection().code().code(), outcome.rejection().message(), null);
      }
      List<Issued> issued = withIssued ? outcome.issued().stream().map(c -> new Issued(c.certificateId(), c.templateId())).toList() : null;
      return new UserOutcome("SUCCESS", null, null, issued);
    }
  }

  /** A certificate issued to the user by this request. */
  public record Issued(String certificateId, String templateId) {}
}
