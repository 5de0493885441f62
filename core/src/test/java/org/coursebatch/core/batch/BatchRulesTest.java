package org.coursebatch.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.JournalEvent;
import org.coursebatch.core.batch.BatchEvent.BatchEnded;
import org.coursebatch.core.batch.BatchEvent.BatchReopened;
import org.coursebatch.core.batch.BatchEvent.BatchStarted;
import org.coursebatch.core.batch.BatchEvent.BatchUpdated;
import org.coursebatch.core.batch.BatchEvent.EndDateBroughtForward;
import org.coursebatch.core.batch.BatchEvent.EndDateExtended;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.Test;

/** Edge cases of the pure rules that the entity tests do not reach easily. */
class BatchRulesTest {

  private static final Instant NOW = Instant.parse("2030-03-10T10:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2030, 3, 10);
  private static final String COURSE = "do_course_1";
  private static final Caller CREATOR = Caller.of("user-creator");
  private static final Caller STRANGER = Caller.of("user-stranger");

  private static Batch batch(LocalDate start, LocalDate end, BatchStatus recorded) {
    return new Batch("b-1", COURSE, "Batch", null, null, EnrollmentType.OPEN, start, end, null, "UTC", List.of(),
        List.of("user-mentor"), CREATOR.userId(), NOW.minus(Duration.ofDays(30)), null, null, recorded, null, null, null);
  }

  private static Instant startOf(LocalDate d) {
    return d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
  }

  @Test
  void laggingStatusIsCaughtUpBeforeTheCommandsOwnEvents() {
    Batch b = batch(TODAY.minusDays(5), TODAY.minusDays(2), BatchStatus.UPCOMING);
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withName("Renamed"), CREATOR, NOW);
    assertFalse(d.rejected());
    assertEquals(List.of(
        new BatchStarted("b-1", startOf(TODAY.minusDays(5)), JournalEvent.SYSTEM, NOW),
        new BatchEnded("b-1", startOf(TODAY.minusDays(1)), JournalEvent.SYSTEM, NOW)), d.events().subList(0, 2));
    assertEquals(BatchUpdated.class, d.events().get(2).getClass());
    assertEquals(CREATOR.userId(), d.events().get(2).actor());
    assertEquals(3, d.events().size());
  }

  @Test
  void removingTheEndDateOfAnEndedBatchReopensIt() {
    Batch b = batch(TODAY.minusDays(5), TODAY.minusDays(2), BatchStatus.ENDED);
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withEndDate(null), CREATOR, NOW);
    assertEquals(List.of(
        new EndDateExtended("b-1", TODAY.minusDays(2), null, CREATOR.userId(), NOW),
        new BatchReopened("b-1", CREATOR.userId(), NOW)), d.events());
  }

  @Test
  void settingAnEndDateOnAnOpenEndedBatchBringsItForward() {
    Batch b = batch(TODAY.minusDays(5), null, BatchStatus.IN_PROGRESS);
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withEndDate(TODAY.plusDays(3)), CREATOR, NOW);
    assertEquals(List.of(new EndDateBroughtForward("b-1", null, TODAY.plusDays(3), CREATOR.userId(), NOW)), d.events());
  }

  @Test
  void endDateBroughtForwardToYesterdayOnARunningBatchIsRefusedNotEnded() {
    Batch b = batch(TODAY.minusDays(5), TODAY.plusDays(3), BatchStatus.IN_PROGRESS);
    var d = BatchRules.update(b, BatchChanges.none(COURSE).withEndDate(TODAY.minusDays(1)), CREATOR, NOW);
    assertEquals(ErrorCode.INVALID_BATCH_END_DATE_ERROR, d.rejection().code());
    assertTrue(d.events().isEmpty());
    // Today itself is allowed: the batch runs to the end of the day.
    var today = BatchRules.update(b, BatchChanges.none(COURSE).withEndDate(TODAY), CREATOR, NOW);
    assertEquals(1, today.events().size());
    assertEquals(BatchStatus.IN_PROGRESS, ((Batch) b.apply(today.events().get(0))).statusAt(NOW));
  }

  @Test
  void theDatesOfAnUpdateRequestAloneAsLmsServiceChecksThem() {
    // An end not after the start given with it, then an end before today; nothing else needs the batch.
    var endBeforeStart = BatchChanges.none(COURSE).withStartDate(TODAY.plusDays(5)).withEndDate(TODAY.plusDays(2));
    assertEquals(ErrorCode.END_DATE_ERROR, BatchRules.checkUpdateDates(endBeforeStart, "UTC", NOW).orElseThrow().code());
    var pastEndBeforeStart = BatchChanges.none(COURSE).withStartDate(TODAY.minusDays(1)).withEndDate(TODAY.minusDays(2));
    assertEquals(ErrorCode.END_DATE_ERROR, BatchRules.checkUpdateDates(pastEndBeforeStart, "UTC", NOW).orElseThrow().code());
    var pastEnd = BatchChanges.none(COURSE).withEndDate(TODAY.minusDays(1));
    assertEquals(ErrorCode.INVALID_BATCH_END_DATE_ERROR, BatchRules.checkUpdateDates(pastEnd, "UTC", NOW).orElseThrow().code());
    assertEquals(Optional.empty(), BatchRules.checkUpdateDates(BatchChanges.none(COURSE).withEndDate(TODAY), "UTC", NOW));
    assertEquals(Optional.empty(), BatchRules.checkUpdateDates(BatchChanges.none(COURSE).withEndDate(null), "UTC", NOW));
    assertEquals(Optional.empty(), BatchRules.checkUpdateDates(BatchChanges.none(COURSE).withStartDate(TODAY.minusDays(9)), "UTC", NOW));
  }

  @Test
  void courseIsCheckedBeforeTheCaller() {
    Batch b = batch(TODAY.plusDays(2), TODAY.plusDays(9), BatchStatus.UPCOMING);
    assertEquals(ErrorCode.INVALID_COURSE_BATCH_ID,
        BatchRules.update(b, BatchChanges.none("do_other").withName("x"), STRANGER, NOW).rejection().code());
    assertEquals(ErrorCode.BATCH_NOT_LINKED_TO_COURSE,
        BatchRules.removeTemplate(b, "do_other", "t", STRANGER, NOW).rejection().code());
  }

  @Test
  void statusTransitionsAreEmptyWhenTheRecordedStatusIsRight() {
    assertEquals(List.of(), BatchRules.dueTransitions(batch(TODAY.plusDays(1), null, BatchStatus.UPCOMING), NOW));
    assertEquals(List.of(), BatchRules.dueTransitions(batch(TODAY, null, BatchStatus.IN_PROGRESS), NOW));
    assertEquals(List.of(), BatchRules.dueTransitions(batch(TODAY.minusDays(3), TODAY.minusDays(1), BatchStatus.ENDED), NOW));
  }

  @Test
  void endInstantIsTheStartOfTheDayAfterTheEndDate() {
    Batch b = batch(TODAY.minusDays(3), TODAY, BatchStatus.IN_PROGRESS);
    Instant endsAt = startOf(TODAY.plusDays(1));
    assertEquals(Optional.of(endsAt), b.endsAt());
    assertEquals(BatchStatus.IN_PROGRESS, b.statusAt(endsAt.minusNanos(1)));
    assertEquals(BatchStatus.ENDED, b.statusAt(endsAt));
    assertEquals(Optional.of(endsAt), b.nextTransition());
    assertEquals(Optional.empty(), batch(TODAY.minusDays(3), TODAY, BatchStatus.ENDED).nextTransition());
    assertEquals(Optional.empty(), batch(TODAY.minusDays(3), null, BatchStatus.IN_PROGRESS).nextTransition());
  }

  @Test
  void mentorsOfAnUpdateAreDeduplicated() {
    var changes = BatchChanges.none(COURSE).withMentors(List.of("m-1", "m-1", "m-2"));
    assertEquals(List.of("m-1", "m-2"), changes.mentors().value());
  }

  @Test
  void namesAndIdsBeyondTheReadModelsColumnsAreRefusedOnCreateAndUpdate() {
    var ok = new NewBatch(COURSE, "n".repeat(1000), null, null, EnrollmentType.OPEN, TODAY, null, null, List.of("org-1"),
        List.of("m".repeat(100)));
    assertFalse(BatchRules.create("b-1", ok, "UTC", CREATOR, NOW).rejected());
    var longName = new NewBatch(COURSE, "n".repeat(1001), null, null, EnrollmentType.OPEN, TODAY, null, null, List.of(),
        List.of());
    var refused = BatchRules.create("b-1", longName, "UTC", CREATOR, NOW);
    assertEquals(ErrorCode.VALUE_TOO_LONG, refused.rejection().code());
    assertEquals("Parameter name is at most 1000 characters; 1001 were given.", refused.rejection().message());
    var badMentor = new NewBatch(COURSE, "Batch", null, null, EnrollmentType.OPEN, TODAY, null, null, List.of(),
        List.of("m\u0000"));
    assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, BatchRules.create("b-1", badMentor, "UTC", CREATOR, NOW).rejection().code());
    var badOrg = new NewBatch(COURSE, "Batch", null, null, EnrollmentType.OPEN, TODAY, null, null, List.of("o".repeat(101)),
        List.of());
    assertTrue(BatchRules.create("b-1", badOrg, "UTC", CREATOR, NOW).rejection().message().contains("createdFor"));

    Batch b = batch(TODAY.plusDays(1), null, BatchStatus.UPCOMING);
    var rename = BatchRules.update(b, BatchChanges.none(COURSE).withName("n".repeat(1001)), CREATOR, NOW);
    assertEquals(ErrorCode.VALUE_TOO_LONG, rename.rejection().code());
    assertTrue(rename.events().isEmpty());
  }
}
