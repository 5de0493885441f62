package org.coursebatch.http.enrollment;

import java.util.List;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.core.enrollment.IssuedCertificate;

/** An issued certificate as enrolment lists and reads show it. */
public record ListedCertificate(String identifier, String templateId, String lastIssuedOn, boolean reissue) {

  public static List<ListedCertificate> of(List<IssuedCertificate> certificates) {
    return certificates.stream()
        .map(c -> new ListedCertificate(c.certificateId(), c.templateId(), Envelope.timestamp(c.issuedAt()), c.reissue()))
        .toList();
  }
}
