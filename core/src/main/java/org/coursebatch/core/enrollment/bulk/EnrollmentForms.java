package org.coursebatch.core.enrollment.bulk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.enrollment.bulk.EnrollmentForm.Kind;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;

/**
 * Issues forms and reads them back when they are submitted. A form carries its claims in a signed
 * {@link FormTokens} token, so any node can read a form it did not issue and nothing is stored.
 */
final class EnrollmentForms {

  /** A submitted form after reading its token: its claims and value, or why it cannot be used. */
  record SubmittedForm(String formId, FormClaims claims, Boolean active, Rejection rejection) {}

  private final FormTokens tokens;
  private final Clock clock;
  private final Duration ttl;
  private final InputLimits limits;

  EnrollmentForms(FormTokens tokens, Clock clock, Duration ttl, InputLimits limits) {
    this.tokens = tokens;
    this.clock = clock;
    this.ttl = ttl;
    this.limits = limits;
  }

  /** The forms of a request, each read on its own: one bad form fails its item only. */
  List<SubmittedForm> read(List<EnrollmentForm> forms, Kind kind) {
    limits.requireItems(forms, "forms");
    long now = clock.instant().getEpochSecond();
    List<SubmittedForm> read = new ArrayList<>(forms.size());
    for (int i = 0; i < forms.size(); i++) {
      EnrollmentForm f = forms.get(i);
      if (f == null) {
        throw ErrorCode.NULL_ARGUMENT.reject("forms[" + i + "]").asException();
      }
      read.add(readForm(f, kind, now));
    }
    return read;
  }

  private SubmittedForm readForm(EnrollmentForm f, Kind kind, long now) {
    FormClaims c;
    try {
      c = tokens.verify(f.token());
    } catch (RejectedException e) {
      return new SubmittedForm(f.id(), null, null, e.rejection());
    }
    if (f.id() != null && !f.id().equals(c.id())) {
      return new SubmittedForm(f.id(), null, null,
          ErrorCode.FORM_INVALID.reject("Form id " + f.id() + " does not match its token (form " + c.id() + ")."));
    }
    if (c.kind() != kind) {
      return new SubmittedForm(c.id(), null, null, ErrorCode.FORM_INVALID.reject(
          "Form " + c.id() + " is a " + c.kind().name().toLowerCase() + " form; it cannot be used to " + kind.name().toLowerCase() + "."));
    }
    if (c.expiresAt() <= now) {
      return new SubmittedForm(c.id(), null, null, ErrorCode.FORM_EXPIRED.reject(c.id(), Instant.ofEpochSecond(c.expiresAt())));
    }
    return new SubmittedForm(c.id(), c, f.active(), null);
  }

  /** The batches the readable forms name, in the order first named. */
  static Set<String> batchesOf(List<SubmittedForm> forms) {
    return forms.stream().filter(f -> f.claims() != null).map(f -> f.claims().batchId())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  EnrollmentForm createForm(EnrollmentPeer peer, List<String> recordTypes, Instant expires) {
    String id = UUID.randomUUID().toString();
    String token = tokens.sign(new FormClaims(id, Kind.CREATE, peer.batchId(), peer.userId(), 0, recordTypes, expires.getEpochSecond()));
    List<FormField> metadata = List.of(
        new FormField("batchId", "string", true, true, peer.batchId(), "The batch (program offering) to enrol in."),
        new FormField("userId", "string", true, true, peer.userId(), "The learner (student) to enrol."));
    return new EnrollmentForm(id, Kind.CREATE, peer.batchId(), peer.userId(), null, recordTypes, expires, metadata, token, null);
  }

  EnrollmentForm updateForm(FoundEnrollment found, Instant expires) {
    EnrollmentId e = found.id();
    String id = UUID.randomUUID().toString();
    String token = tokens.sign(new FormClaims(id, Kind.UPDATE, e.batchId(), e.userId(), e.incarnation(), List.of(), expires.getEpochSecond()));
    List<FormField> metadata = List.of(
        new FormField("enrollmentId", "string", true, true, e.toString(), "The enrolment this form updates."),
        new FormField("batchId", "string", true, true, e.batchId(), "The batch (program offering)."),
        new FormField("userId", "string", true, true, e.userId(), "The learner (student)."),
        new FormField("active", "boolean", false, true, found.enrollment().participation() != Participation.INACTIVE,
            "false unenrols (or takes the learner off the waitlist); true enrols an unenrolled learner again."
                + " The same rules and codes as single enrolment apply."));
    return new EnrollmentForm(id, Kind.UPDATE, e.batchId(), e.userId(), e.toString(), List.of(), expires, metadata, token, null);
  }

  /** When forms issued now expire: whole seconds, since the token carries epoch seconds. */
  Instant expiry() {
    return clock.instant().plus(ttl).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
  }
}
