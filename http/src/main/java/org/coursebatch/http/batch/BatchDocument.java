package org.coursebatch.http.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.http.api.Envelope;

/**
 * A batch in the Sunbird read shape (sunbird-api.md §2.3), plus {@code daysToGo}, {@code timeZone}
 * and, for batches with a capacity, {@code maxParticipants} and the seat counts. Dates are
 * {@code yyyy-MM-dd}, timestamps in Sunbird's {@link Envelope#TS} format.
 */
public record BatchDocument(
    String identifier,
    String id,
    String batchId,
    String courseId,
    String collectionId,
    String name,
    String description,
    String tandc,
    List<String> createdFor,
    List<String> mentors,
    String createdBy,
    String createdDate,
    String updatedBy,
    String updatedDate,
    String startDate,
    String endDate,
    String enrollmentEndDate,
    String enrollmentType,
    int status,
    Long daysToGo,
    String timeZone,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxParticipants,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer participantCount,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer waitlistCount,
    @JsonProperty("cert_templates") Map<String, Template> certTemplates) {

  public static BatchDocument of(BatchView view) {
    Batch b = view.batch();
    // Counts only: who holds a seat is not for every reader of the batch.
    boolean capped = b.hasCapacity();
    Map<String, Template> templates = new LinkedHashMap<>();
    b.certTemplates().forEach((id, t) -> templates.put(id, Template.of(t)));
    return new BatchDocument(b.batchId(), b.batchId(), b.batchId(), b.courseId(), b.courseId(), b.name(), b.description(),
        b.tandc(), b.createdFor(), b.mentors(), b.createdBy(), timestamp(b.createdDate()), b.updatedBy(),
        timestamp(b.updatedDate()), date(b.startDate()), date(b.endDate()), date(b.effectiveEnrollmentEndDate().orElse(null)),
        b.enrollmentType().wireName(), view.status().code(), view.daysToGo(), b.timeZone(),
        capped ? b.maxParticipants() : null,
        capped ? b.seats().holders().size() : null,
        capped ? b.seats().waitlist().size() : null,
        templates);
  }

  /** A certificate template of the batch; stored JSON (issuer, notifyTemplate, additionalProps) as it was given. */
  public record Template(
      String identifier,
      String name,
      String url,
      Criteria criteria,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode issuer,
      List<Signatory> signatoryList,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode notifyTemplate,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode additionalProps) {

    public static Template of(CertificateTemplate t) {
      return new Template(t.identifier(), t.name(), t.url(), Criteria.of(t.criteria()), t.issuer(), t.signatoryList(),
          t.notifyTemplate(), t.additionalProps());
    }
  }

  /** {@code {enrollment: {status}, assessment: {score: {op: value}}, user: {rootOrgId}}}, each part only when set. */
  public record Criteria(
      @JsonInclude(JsonInclude.Include.NON_NULL) Enrollment enrollment,
      @JsonInclude(JsonInclude.Include.NON_NULL) Assessment assessment,
      @JsonInclude(JsonInclude.Include.NON_NULL) User user) {

    public static Criteria of(CertificateCriteria c) {
      return new Criteria(
          c.enrollmentStatus() == null ? null : new Enrollment(c.enrollmentStatus()),
          c.assessmentScore() == null ? null : new Assessment(c.assessmentScore()),
          c.userRootOrgId() == null ? null : new User(c.userRootOrgId()));
    }
  }

  public record Enrollment(int status) {}

  /** Score bounds by operator, sorted by operator. */
  public record Assessment(Map<String, Double> score) {}

  public record User(String rootOrgId) {}

  private static String date(LocalDate d) {
    return d == null ? null : d.toString();
  }

  private static String timestamp(Instant i) {
    return Envelope.timestamp(i);
  }
}
