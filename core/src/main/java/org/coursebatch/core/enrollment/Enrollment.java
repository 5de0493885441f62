package org.coursebatch.core.enrollment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coursebatch.core.CborSerializable;
import org.coursebatch.core.enrollment.EnrollmentEvent.*;
import org.coursebatch.core.request.RememberedRequests;

/**
 * One learner in one batch, as recorded by its events: whether they are invited, enrolled,
 * waiting or gone, their content states, their best score per assessment (every attempt's
 * responses are in the journal and the read side), completion and certificates.
 * {@link #apply} is the only way it changes, for the entity and the read side alike.
 */
public record Enrollment(
    String batchId,
    String userId,
    String courseId,
    Participation participation,
    boolean invited,
    SeatClaim seatClaim,
    Long waitlistTicket,
    Instant enrolledDate,
    String addedBy,
    Map<String, ContentState> contents,
    Map<String, BestScore> bestScores,
    Set<String> attemptIds,
    int completedLeaves,
    int completionPercentage,
    Instant completedOn,
    List<IssuedCertificate> certificates,
    String lastReadContentId,
    Integer lastReadContentStatus,
    Instant lastContentAccessTime,
    int incarnation,
    Set<String> usedForms,
    RememberedRequests requests)
    implements CborSerializable {

  public Enrollment {
    contents = Collections.unmodifiableMap(new LinkedHashMap<>(contents == null ? Map.of() : contents));
    bestScores = Collections.unmodifiableMap(new LinkedHashMap<>(bestScores == null ? Map.of() : bestScores));
    attemptIds = Collections.unmodifiableSet(new LinkedHashSet<>(attemptIds == null ? Set.of() : attemptIds));
    certificates = certificates == null ? List.of() : List.copyOf(certificates);
    seatClaim = seatClaim == null ? SeatClaim.NONE : seatClaim;
    participation = participation == null ? Participation.NONE : participation;
    usedForms = Collections.unmodifiableSet(new LinkedHashSet<>(usedForms == null ? Set.of() : usedForms));
    requests = requests == null ? RememberedRequests.none() : requests;
    if (incarnation == 0 && participation.exists()) {
      incarnation = 1; // a snapshot from before incarnations were counted: its enrolment is the first
    }
  }

  public static Enrollment empty(String batchId, String userId) {
    return new Enrollment(batchId, userId, null, Participation.NONE, false, SeatClaim.NONE, null, null, null,
        Map.of(), Map.of(), Set.of(), 0, 0, null, List.of(), null, null, null, 0, Set.of(), RememberedRequests.none());
  }

  /** The enrolment's id while it {@link Participation#exists exists}, else empty. */
  public Optional<EnrollmentId> id() {
    return participation.exists() ? Optional.of(new EnrollmentId(batchId, userId, incarnation)) : Optional.empty();
  }

  /** Whether a bulk enrolment form was already used successfully on this learner's enrolments. */
  public boolean usedForm(String formId) {
    return formId != null && usedForms.contains(formId);
  }

  public boolean active() {
    return participation == Participation.ACTIVE;
  }

  public boolean completed() {
    return completedOn != null;
  }

  /** Sunbird's enrolment status: 0 not started, 1 in progress, 2 completed. */
  public int progressStatus() {
    if (completed()) {
      return 2;
    }
    return contents.isEmpty() ? 0 : 1;
  }

  /** A seat or waitlist place the batch still holds for a learner who has left. */
  public boolean seatToReturn() {
    return seatClaim != SeatClaim.NONE && participation != Participation.ACTIVE && participation != Participation.WAITLISTED;
  }

  /** The course score in percent: best scores summed over the assessments attempted, or empty before any attempt. */
  public Optional<Double> scorePercentage() {
    double max = bestScores.values().stream().mapToDouble(BestScore::maxScore).sum();
    if (bestScores.isEmpty() || max <= 0) {
      return Optional.empty();
    }
    double score = bestScores.values().stream().mapToDouble(BestScore::score).sum();
    return Optional.of(score * 100.0 / max);
  }

  public Optional<IssuedCertificate> certificateFor(String templateId) {
    return certificates.stream().filter(c -> c.templateId().equals(templateId)).findFirst();
  }

  /** The certificates recorded at {@code at}: those one command issued (its events share their instant). */
  public List<IssuedCertificate> certificatesIssuedAt(Instant at) {
    return certificates.stream().filter(c -> c.issuedAt().equals(at)).toList();
  }

  public Enrollment apply(EnrollmentEvent event) {
    Enrollment next = applied(event);
    if (event instanceof RecordsRequest r && r.request() != null) {
      return next.copy().requests(next.requests.remember(event.actor(), r.request(), event.at())).build();
    }
    return next;
  }

  private Enrollment applied(EnrollmentEvent event) {
    if (event instanceof ParticipantInvited e) {
      // A deleted learner who is invited again stands where an invited one does before any enrolment.
      Participation after = participation == Participation.DELETED ? Participation.NONE : participation;
      return copy().courseId(e.courseId()).invited(true).participation(after).build();
    } else if (event instanceof ParticipantRemoved) {
      return copy().invited(false).build();
    } else if (event instanceof Enrolled e) {
      return admitted(e.formId()).courseId(e.courseId()).participation(Participation.ACTIVE)
          .seatClaim(e.seat() ? SeatClaim.HELD : SeatClaim.NONE).waitlistTicket(null)
          .enrolledDate(e.at()).addedBy(e.actor()).build();
    } else if (event instanceof Waitlisted e) {
      return admitted(e.formId()).courseId(e.courseId()).participation(Participation.WAITLISTED).seatClaim(SeatClaim.WAITING)
          .waitlistTicket(e.ticket()).addedBy(e.actor()).build();
    } else if (event instanceof PromotedFromWaitlist e) {
      return copy().participation(Participation.ACTIVE).seatClaim(SeatClaim.HELD).waitlistTicket(null)
          .enrolledDate(e.at()).build();
    } else if (event instanceof Unenrolled e) {
      return copy().usedForm(e.formId()).participation(Participation.INACTIVE).waitlistTicket(null).build();
    } else if (event instanceof SeatReturned) {
      return copy().seatClaim(SeatClaim.NONE).build();
    } else if (event instanceof ContentProgressRecorded e) {
      var merged = new LinkedHashMap<>(contents);
      ContentState last = null;
      for (ContentState c : e.contents()) {
        merged.put(c.contentId(), c);
        last = c;
      }
      var b = copy().contents(merged).completedLeaves(e.completedLeaves()).completionPercentage(e.completionPercentage());
      if (last != null) {
        b.lastReadContentId(last.contentId()).lastReadContentStatus(last.status())
            .lastContentAccessTime(last.lastAccessTime() != null ? last.lastAccessTime() : e.at());
      }
      return b.build();
    } else if (event instanceof AssessmentAttempted e) {
      var best = new LinkedHashMap<>(bestScores);
      BestScore previous = best.get(e.contentId());
      int attempts = previous == null ? 1 : previous.attempts() + 1;
      // Ties go to the later attempt.
      if (previous == null || e.totalScore() >= previous.score()) {
        best.put(e.contentId(), new BestScore(e.contentId(), e.attemptId(), e.totalScore(), e.totalMaxScore(), attempts));
      } else {
        best.put(e.contentId(), new BestScore(e.contentId(), previous.attemptId(), previous.score(), previous.maxScore(), attempts));
      }
      var ids = new LinkedHashSet<>(attemptIds);
      ids.add(attemptKey(e.contentId(), e.attemptId()));
      return copy().bestScores(best).attemptIds(ids).build();
    } else if (event instanceof EnrollmentCompleted e) {
      return copy().completedOn(e.at()).build();
    } else if (event instanceof CertificateIssued e) {
      var certs = new ArrayList<>(certificates);
      certs.add(new IssuedCertificate(e.certificateId(), e.templateId(), e.at(), e.reissue()));
      return copy().certificates(certs).build();
    } else if (event instanceof EnrollmentDeleted) {
      // Everything goes but what outlives the enrolment: its number, the forms used, a seat still to give
      // back, the requests remembered.
      Enrollment empty = empty(batchId, userId);
      return new Enrollment(batchId, userId, null, Participation.DELETED, false, seatClaim, null, null, null,
          empty.contents, empty.bestScores, empty.attemptIds, 0, 0, null, empty.certificates, null, null, null,
          incarnation, usedForms, requests);
    }
    throw new IllegalStateException("Unknown event " + event);
  }

  /** A copy for an admission: a learner without an enrolment starts the next incarnation. */
  private Builder admitted(String formId) {
    Builder b = copy().usedForm(formId);
    return participation.exists() ? b : b.incarnation(incarnation + 1);
  }

  static String attemptKey(String contentId, String attemptId) {
    return contentId + "/" + attemptId;
  }

  public boolean hasAttempt(String contentId, String attemptId) {
    return attemptIds.contains(attemptKey(contentId, attemptId));
  }

  private Builder copy() {
    return new Builder(this);
  }

  /** Copies with changes; records have no withers. */
  private static final class Builder {
    private String courseId;
    private Participation participation;
    private boolean invited;
    private SeatClaim seatClaim;
    private Long waitlistTicket;
    private Instant enrolledDate;
    private String addedBy;
    private Map<String, ContentState> contents;
    private Map<String, BestScore> bestScores;
    private Set<String> attemptIds;
    private int completedLeaves;
    private int completionPercentage;
    private Instant completedOn;
    private List<IssuedCertificate> certificates;
    private String lastReadContentId;
    private Integer lastReadContentStatus;
    private Instant lastContentAccessTime;
    private int incarnation;
    private Set<String> usedForms;
    private RememberedRequests requests;
    private final Enrollment from;

    Builder(Enrollment e) {
      from = e;
      courseId = e.courseId;
      participation = e.participation;
      invited = e.invited;
      seatClaim = e.seatClaim;
      waitlistTicket = e.waitlistTicket;
      enrolledDate = e.enrolledDate;
      addedBy = e.addedBy;
      contents = e.contents;
      bestScores = e.bestScores;
      attemptIds = e.attemptIds;
      completedLeaves = e.completedLeaves;
      completionPercentage = e.completionPercentage;
      completedOn = e.completedOn;
      certificates = e.certificates;
      lastReadContentId = e.lastReadContentId;
      lastReadContentStatus = e.lastReadContentStatus;
      lastContentAccessTime = e.lastContentAccessTime;
      incarnation = e.incarnation;
      usedForms = e.usedForms;
      requests = e.requests;
    }

    Builder courseId(String v) { courseId = v; return this; }
    Builder participation(Participation v) { participation = v; return this; }
    Builder invited(boolean v) { invited = v; return this; }
    Builder seatClaim(SeatClaim v) { seatClaim = v; return this; }
    Builder waitlistTicket(Long v) { waitlistTicket = v; return this; }
    Builder enrolledDate(Instant v) { enrolledDate = v; return this; }
    Builder addedBy(String v) { addedBy = v; return this; }
    Builder contents(Map<String, ContentState> v) { contents = v; return this; }
    Builder bestScores(Map<String, BestScore> v) { bestScores = v; return this; }
    Builder attemptIds(Set<String> v) { attemptIds = v; return this; }
    Builder completedLeaves(int v) { completedLeaves = v; return this; }
    Builder completionPercentage(int v) { completionPercentage = v; return this; }
    Builder completedOn(Instant v) { completedOn = v; return this; }
    Builder certificates(List<IssuedCertificate> v) { certificates = v; return this; }
    Builder lastReadContentId(String v) { lastReadContentId = v; return this; }
    Builder lastReadContentStatus(Integer v) { lastReadContentStatus = v; return this; }
    Builder lastContentAccessTime(Instant v) { lastContentAccessTime = v; return this; }
    Builder incarnation(int v) { incarnation = v; return this; }
    Builder requests(RememberedRequests v) { requests = v; return this; }

    Builder usedForm(String formId) {
      if (formId != null) {
        var all = new LinkedHashSet<>(usedForms);
        all.add(formId);
        usedForms = all;
      }
      return this;
    }

    Enrollment build() {
      return new Enrollment(from.batchId, from.userId, courseId, participation, invited, seatClaim, waitlistTicket,
          enrolledDate, addedBy, contents, bestScores, attemptIds, completedLeaves, completionPercentage, completedOn,
          certificates, lastReadContentId, lastReadContentStatus, lastContentAccessTime, incarnation, usedForms, requests);
    }
  }
}
