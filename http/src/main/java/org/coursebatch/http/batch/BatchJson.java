package org.coursebatch.http.batch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.http.api.Envelope;

/**
 * Batches in the Sunbird read shape (sunbird-api.md §2.3), plus {@code daysToGo}, {@code timeZone}
 * and, for batches with a capacity, {@code maxParticipants} and the seat counts.
 */
public final class BatchJson {

  private BatchJson() {}

  public static ObjectNode view(BatchView view) {
    Batch b = view.batch();
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("identifier", b.batchId());
    o.put("id", b.batchId());
    o.put("batchId", b.batchId());
    o.put("courseId", b.courseId());
    o.put("collectionId", b.courseId());
    o.put("name", b.name());
    o.put("description", b.description());
    o.put("tandc", b.tandc());
    strings(o.putArray("createdFor"), b.createdFor());
    strings(o.putArray("mentors"), b.mentors());
    o.put("createdBy", b.createdBy());
    o.put("createdDate", timestamp(b.createdDate()));
    o.put("updatedBy", b.updatedBy());
    o.put("updatedDate", timestamp(b.updatedDate()));
    o.put("startDate", date(b.startDate()));
    o.put("endDate", date(b.endDate()));
    o.put("enrollmentEndDate", date(b.effectiveEnrollmentEndDate().orElse(null)));
    o.put("enrollmentType", b.enrollmentType().wireName());
    o.put("status", view.status().code());
    if (view.daysToGo() == null) {
      o.putNull("daysToGo");
    } else {
      o.put("daysToGo", view.daysToGo());
    }
    o.put("timeZone", b.timeZone());
    if (b.hasCapacity()) {
      // Counts only: who holds a seat is not for every reader of the batch.
      o.put("maxParticipants", b.maxParticipants());
      o.put("participantCount", b.seats().holders().size());
      o.put("waitlistCount", b.seats().waitlist().size());
    }
    ObjectNode templates = o.putObject("cert_templates");
    for (Map.Entry<String, CertificateTemplate> t : b.certTemplates().entrySet()) {
      templates.set(t.getKey(), template(t.getValue()));
    }
    return o;
  }

  static ObjectNode template(CertificateTemplate t) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("identifier", t.identifier());
    o.put("name", t.name());
    o.put("url", t.url());
    o.set("criteria", criteria(t.criteria()));
    if (t.issuer() != null) {
      o.set("issuer", t.issuer());
    }
    ArrayNode signatories = o.putArray("signatoryList");
    for (Signatory s : t.signatoryList()) {
      ObjectNode so = signatories.addObject();
      so.put("name", s.name());
      so.put("id", s.id());
      so.put("designation", s.designation());
      so.put("image", s.image());
    }
    if (t.notifyTemplate() != null) {
      o.set("notifyTemplate", t.notifyTemplate());
    }
    if (t.additionalProps() != null) {
      o.set("additionalProps", t.additionalProps());
    }
    return o;
  }

  private static ObjectNode criteria(CertificateCriteria c) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    if (c.enrollmentStatus() != null) {
      o.putObject("enrollment").put("status", c.enrollmentStatus());
    }
    if (c.assessmentScore() != null) {
      ObjectNode score = o.putObject("assessment").putObject("score");
      c.assessmentScore().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> score.put(e.getKey(), e.getValue()));
    }
    if (c.userRootOrgId() != null) {
      o.putObject("user").put("rootOrgId", c.userRootOrgId());
    }
    return o;
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }

  private static String date(LocalDate d) {
    return d == null ? null : d.toString();
  }

  private static String timestamp(Instant i) {
    return i == null ? null : Envelope.TS.format(i);
  }
}
