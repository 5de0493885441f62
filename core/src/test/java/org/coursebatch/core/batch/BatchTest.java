package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coursebatch.core.batch.BatchEvent.*;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.junit.jupiter.api.Test;

/** Applying an event changes the fields it is about, and no other. */
class BatchTest {

  private static final Instant EDITED = Instant.parse("2030-03-11T09:00:00Z");
  private static final String EDITOR = "mentor-9";
  private static final LocalDate START = LocalDate.of(2030, 3, 1);

  /** Every field set, each to a value no other field has. */
  private static final Batch BATCH = new Batch("b1", "do_1", "Name", "Description", "T&C", EnrollmentType.OPEN,
      START, START.plusDays(30), START.plusDays(20), "Asia/Kolkata", List.of("org-for"), List.of("mentor-1"),
      "creator", Instant.parse("2030-01-01T00:00:00Z"), "editor-0", Instant.parse("2030-02-01T00:00:00Z"),
      BatchStatus.UPCOMING, Map.of("t0", template("t0")), 40, Seats.NONE.take("holder-1"));

  @Test
  void anUpdateSetsItsDetailsAndTheEditorButNotTheEndDate() {
    var e = new BatchUpdated("b1", "Name 2", "Description 2", "T&C 2", EnrollmentType.INVITE_ONLY, START.plusDays(1),
        START.plusDays(21), List.of("org-for-2"), List.of("mentor-2"), EDITOR, EDITED);
    Batch after = apply(e);
    assertOnlyChanged(after, "name", "description", "tandc", "enrollmentType", "startDate", "enrollmentEndDate", "createdFor",
        "mentors", "updatedBy", "updatedDate");
    assertEquals(new Batch("b1", "do_1", "Name 2", "Description 2", "T&C 2", EnrollmentType.INVITE_ONLY, START.plusDays(1),
        BATCH.endDate(), START.plusDays(21), "Asia/Kolkata", List.of("org-for-2"), List.of("mentor-2"), "creator",
        BATCH.createdDate(), EDITOR, EDITED, BatchStatus.UPCOMING, BATCH.certTemplates(), 40, BATCH.seats()), after);
  }

  @Test
  void theEndDateMovesEitherWayAsAnEdit() {
    Batch later = apply(new EndDateExtended("b1", BATCH.endDate(), START.plusDays(40), EDITOR, EDITED));
    assertOnlyChanged(later, "endDate", "updatedBy", "updatedDate");
    assertEquals(START.plusDays(40), later.endDate());
    Batch earlier = apply(new EndDateBroughtForward("b1", BATCH.endDate(), START.plusDays(25), EDITOR, EDITED));
    assertOnlyChanged(earlier, "endDate", "updatedBy", "updatedDate");
    assertEquals(START.plusDays(25), earlier.endDate());
  }

  @Test
  void aTransitionChangesTheStatusOnlyItIsNoEdit() {
    assertOnlyChanged(apply(new BatchStarted("b1", EDITED, "system", EDITED)), "status");
    assertEquals(BatchStatus.ENDED, apply(new BatchEnded("b1", EDITED, "system", EDITED)).status());
    assertEquals(BatchStatus.IN_PROGRESS, apply(new BatchReopened("b1", EDITOR, EDITED)).status());
  }

  @Test
  void templatesAndCapacityAreEdits() {
    Batch added = apply(new CertificateTemplateAdded("b1", template("t1"), EDITOR, EDITED));
    assertOnlyChanged(added, "certTemplates", "updatedBy", "updatedDate");
    assertEquals(Set.of("t0", "t1"), added.certTemplates().keySet());
    Batch removed = apply(new CertificateTemplateRemoved("b1", "t0", EDITOR, EDITED));
    assertOnlyChanged(removed, "certTemplates", "updatedBy", "updatedDate");
    assertEquals(Map.of(), removed.certTemplates());
    Batch resized = apply(new CapacityChanged("b1", 40, 50, EDITOR, EDITED));
    assertOnlyChanged(resized, "maxParticipants", "updatedBy", "updatedDate");
    assertEquals(50, resized.maxParticipants());
  }

  @Test
  void seatBookkeepingChangesTheSeatsOnlyItIsNoEdit() {
    Batch taken = apply(new SeatTaken("b1", "holder-2", "holder-2", EDITED));
    assertOnlyChanged(taken, "seats");
    assertEquals(BATCH.seats().take("holder-2"), taken.seats());
    assertOnlyChanged(apply(new SeatReleased("b1", "holder-1", "holder-1", EDITED)), "seats");
  }

  private static Batch apply(BatchEvent e) {
    return (Batch) BATCH.apply(e);
  }

  /** {@code after} differs from {@link #BATCH} in exactly the {@code changed} fields. */
  private static void assertOnlyChanged(Batch after, String... changed) {
    Set<String> expected = Set.of(changed);
    for (RecordComponent c : Batch.class.getRecordComponents()) {
      try {
        Object before = c.getAccessor().invoke(BATCH);
        Object now = c.getAccessor().invoke(after);
        if (expected.contains(c.getName())) {
          assertNotEquals(before, now, c.getName() + " should have changed");
        } else {
          assertEquals(before, now, c.getName() + " should have stayed");
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static CertificateTemplate template(String id) {
    return new CertificateTemplate(id, "Completion", "https://cdn.example/" + id + ".svg", null, null, List.of(), null, null);
  }
}
