package org.coursebatch.persistence.batch;

import static org.coursebatch.persistence.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.Offset;
import akka.projection.eventsourced.EventEnvelope;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchEvent;
import org.coursebatch.core.batch.BatchEvent.*;
import org.coursebatch.core.batch.BatchSearch;
import org.coursebatch.core.batch.BatchSearch.Sort;
import org.coursebatch.core.batch.BatchSearch.SortField;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The read-model handler fed with events directly, then queried through JdbcBatchQueries. */
@OnBothDatabases
class BatchReadModelTest {

  static final Instant NOW = Instant.parse("2030-01-10T12:00:00Z");
  static final Instant T0 = Instant.parse("2029-11-01T10:00:00Z");

  /** Set by Contract.open, from the actor system of the run under way. */
  static ObjectMapper mapper;

  static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  static BatchCreated created(String id, String course, String name, EnrollmentType type, String start, String end,
      String createdBy, List<String> mentors, List<String> orgs, BatchStatus status, Instant at) {
    return new BatchCreated(id, course, name, "about " + name, "tandc", type, d(start), end == null ? null : d(end), null,
        "UTC", orgs, mentors, status, createdBy, at);
  }

  static BatchSearch search() {
    return new BatchSearch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 100, 0, List.of());
  }

  static BatchSearch with(BatchSearch s, java.util.function.UnaryOperator<Builder> f) {
    return f.apply(new Builder(s)).build();
  }

  /** Small mutable helper so each test states only the filters it cares about. */
  static final class Builder {
    List<String> batchIds, courseIds, createdBy, mentors, createdFor;
    List<BatchStatus> statuses;
    List<EnrollmentType> types;
    int limit, offset;
    List<Sort> sort;

    Builder(BatchSearch s) {
      batchIds = s.batchIds(); courseIds = s.courseIds(); statuses = s.statuses(); types = s.enrollmentTypes();
      createdBy = s.createdBy(); mentors = s.mentors(); createdFor = s.createdFor(); limit = s.limit();
      offset = s.offset(); sort = s.sort();
    }

    Builder batchIds(String... v) { batchIds = List.of(v); return this; }
    Builder courseIds(String... v) { courseIds = List.of(v); return this; }
    Builder statuses(BatchStatus... v) { statuses = List.of(v); return this; }
    Builder types(EnrollmentType... v) { types = List.of(v); return this; }
    Builder createdBy(String... v) { createdBy = List.of(v); return this; }
    Builder mentors(String... v) { mentors = List.of(v); return this; }
    Builder createdFor(String... v) { createdFor = List.of(v); return this; }
    Builder page(int l, int o) { limit = l; offset = o; return this; }
    Builder sort(Sort... v) { sort = List.of(v); return this; }

    BatchSearch build() {
      return new BatchSearch(batchIds, courseIds, statuses, types, createdBy, mentors, createdFor, limit, offset, sort);
    }
  }

  static CertificateTemplate template(String id) throws Exception {
    return new CertificateTemplate(id, "Merit", "https://cdn.example/merit.svg",
        new CertificateCriteria(2, Map.of(">=", 60.0), null),
        mapper.readTree("{\"name\": \"Academy\"}"),
        List.of(new Signatory("Ann", "ann-1", "Director", "https://cdn.example/ann.png")), null, null);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    JdbcBatchQueries queries;
    BatchReadModelHandler handler;
    long offset;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      this.testKit = testKit;
      mapper = JsonDocuments.mapper(testKit.system());
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      queries = new JdbcBatchQueries(testKit.system(), db);
      handler = new BatchReadModelHandler(mapper);
    }

    @AfterAll
    void close() {
      db.close();
    }

    @BeforeEach
    void clear() throws Exception {
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM course_batch_mentor");
        st.executeUpdate("DELETE FROM course_batch_org");
        st.executeUpdate("DELETE FROM course_batch");
      }
    }

    /** Runs each event through the handler in its own committed transaction, as the projection does. */
    void feed(BatchEvent... events) throws Exception {
      for (BatchEvent e : events) {
        offset++;
        ReadModels.process(db, handler, EventEnvelope.create(Offset.sequence(offset), "CourseBatch|" + e.batchId(),
            offset, e, e.at().toEpochMilli()));
      }
    }

    /** Four batches; at NOW (2030-01-10 12:00 UTC): A and D in progress, B upcoming, C ended. */
    void fourBatches() throws Exception {
      feed(
          created("A", "c1", "Alpha", EnrollmentType.OPEN, "2030-01-01", "2030-01-31", "u1", List.of("m1"),
              List.of("o1"), BatchStatus.UPCOMING, T0),
          created("B", "c1", "Bravo", EnrollmentType.INVITE_ONLY, "2030-01-20", null, "u2", List.of("m1", "m2"),
              List.of("o2"), BatchStatus.UPCOMING, T0.plusSeconds(10)),
          created("C", "c2", "Charlie", EnrollmentType.OPEN, "2029-12-01", "2030-01-05", "u1", List.of(),
              List.of("o1", "o2", "o1"), BatchStatus.UPCOMING, T0.plusSeconds(20)),
          created("D", "c2", "Delta", EnrollmentType.OPEN, "2030-01-05", "2030-02-01", "u3", List.of("m3"),
              List.of(), BatchStatus.UPCOMING, T0.plusSeconds(30)),
          new BatchStarted("A", Instant.parse("2030-01-01T00:00:00Z"), "system", Instant.parse("2030-01-01T00:00:01Z")),
          new BatchStarted("C", Instant.parse("2029-12-01T00:00:00Z"), "system", Instant.parse("2029-12-01T00:00:01Z")),
          new BatchUpdated("B", "Bravo", "about Bravo", "tandc", EnrollmentType.INVITE_ONLY, d("2030-01-20"), null,
              List.of("o2"), List.of("m2"), "u2", Instant.parse("2030-01-02T00:00:00Z")),
          new EndDateExtended("A", d("2030-01-31"), d("2030-03-31"), "m1", Instant.parse("2030-01-03T00:00:00Z")),
          new CertificateTemplateAdded("A", template("tpl_1"), "u1", Instant.parse("2030-01-04T00:00:00Z")));
    }

    List<String> ids(BatchSearch s) throws Exception {
      return ids(s, NOW);
    }

    List<String> ids(BatchSearch s, Instant now) throws Exception {
      return await(queries.search(s, now)).content().stream().map(v -> v.batch().batchId()).toList();
    }

    @Test
    void storesTheBatchTheEntityWouldHave() throws Exception {
      fourBatches();
      BatchSearch.Page page = await(queries.search(with(search(), b -> b.batchIds("A")), NOW));
      assertEquals(1, page.count());
      Batch a = page.content().get(0).batch();
      assertEquals("Alpha", a.name());
      assertEquals(d("2030-03-31"), a.endDate());
      assertEquals(BatchStatus.IN_PROGRESS, a.status());
      assertEquals("u1", a.updatedBy(), "the template was attached last, by u1");
      assertEquals(Instant.parse("2030-01-04T00:00:00Z"), a.updatedDate());
      assertEquals(template("tpl_1"), a.certTemplates().get("tpl_1"));
      assertEquals(List.of("o1"), a.createdFor());

      // The same fold the entity runs, starting from nothing.
      var expected = org.coursebatch.core.batch.BatchState.empty()
          .apply(created("A", "c1", "Alpha", EnrollmentType.OPEN, "2030-01-01", "2030-01-31", "u1", List.of("m1"),
              List.of("o1"), BatchStatus.UPCOMING, T0))
          .apply(new BatchStarted("A", Instant.parse("2030-01-01T00:00:00Z"), "system", Instant.parse("2030-01-01T00:00:01Z")))
          .apply(new EndDateExtended("A", d("2030-01-31"), d("2030-03-31"), "m1", Instant.parse("2030-01-03T00:00:00Z")))
          .apply(new CertificateTemplateAdded("A", template("tpl_1"), "u1", Instant.parse("2030-01-04T00:00:00Z")));
      assertEquals(expected, a);
      assertEquals(BatchView.of((Batch) expected, NOW), page.content().get(0));
    }

    @Test
    void everyFilterMustMatch() throws Exception {
      fourBatches();
      assertEquals(List.of("D", "C", "B", "A"), ids(search()), "default order: newest first");
      assertEquals(List.of("B", "A"), ids(with(search(), b -> b.courseIds("c1"))));
      assertEquals(List.of("D", "A"), ids(with(search(), b -> b.batchIds("A", "D", "nope"))));
      assertEquals(List.of("B"), ids(with(search(), b -> b.types(EnrollmentType.INVITE_ONLY))));
      assertEquals(List.of("C", "A"), ids(with(search(), b -> b.createdBy("u1"))));
      // B's mentors were replaced by the update: m1 no longer mentors it.
      assertEquals(List.of("A"), ids(with(search(), b -> b.mentors("m1"))));
      assertEquals(List.of("D", "B"), ids(with(search(), b -> b.mentors("m2", "m3"))));
      assertEquals(List.of("C", "B"), ids(with(search(), b -> b.createdFor("o2"))));
      assertEquals(List.of("C", "A"), ids(with(search(), b -> b.createdFor("o1"))));
      assertEquals(List.of("C"), ids(with(search(), b -> b.createdFor("o1").createdBy("u1").courseIds("c2"))));
      assertEquals(List.of(), ids(with(search(), b -> b.courseIds("c1").mentors("m3"))));
      assertEquals(List.of(), ids(with(search(), b -> b.courseIds("nope"))));
    }

    @Test
    void statusComesFromTheClockNotTheRecordedStatus() throws Exception {
      fourBatches();
      // D's recorded status is still UPCOMING and C's IN_PROGRESS; the clock says otherwise.
      assertEquals(List.of("D", "A"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS))));
      assertEquals(List.of("B"), ids(with(search(), b -> b.statuses(BatchStatus.UPCOMING))));
      assertEquals(List.of("C"), ids(with(search(), b -> b.statuses(BatchStatus.ENDED))));
      assertEquals(List.of("C", "B"), ids(with(search(), b -> b.statuses(BatchStatus.UPCOMING, BatchStatus.ENDED))));
      assertEquals(List.of("D"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS).courseIds("c2"))));

      var views = await(queries.search(search(), NOW)).content();
      assertEquals(List.of(BatchStatus.IN_PROGRESS, BatchStatus.ENDED, BatchStatus.UPCOMING, BatchStatus.IN_PROGRESS),
          views.stream().map(BatchView::status).toList());
      assertEquals(List.of(22L, 0L, 10L, 80L), views.stream().map(BatchView::daysToGo).toList());

      Instant later = Instant.parse("2030-02-15T00:00:00Z");
      assertEquals(List.of("B", "A"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS)), later));
      assertEquals(List.of("D", "C"), ids(with(search(), b -> b.statuses(BatchStatus.ENDED)), later));
      // The end date is inclusive: D (ends 2030-02-01) is in progress all that day and ended right after.
      assertEquals(List.of("D", "B", "A"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS)),
          Instant.parse("2030-02-01T23:59:59.999Z")));
      assertEquals(List.of("D", "C"), ids(with(search(), b -> b.statuses(BatchStatus.ENDED)),
          Instant.parse("2030-02-02T00:00:00Z")));
      // A batch starts at the first instant of its start date.
      assertEquals(List.of("B"), ids(with(search(), b -> b.statuses(BatchStatus.UPCOMING).batchIds("B")),
          Instant.parse("2030-01-19T23:59:59.999Z")));
      assertEquals(List.of("B"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS).batchIds("B")),
          Instant.parse("2030-01-20T00:00:00Z")));
    }

    @Test
    void sortsPagesAndCounts() throws Exception {
      fourBatches();
      assertEquals(List.of("A", "B", "C", "D"), ids(with(search(), b -> b.sort(new Sort(SortField.NAME, false)))));
      assertEquals(List.of("D", "C", "B", "A"), ids(with(search(), b -> b.sort(new Sort(SortField.NAME, true)))));
      assertEquals(List.of("A", "B", "C", "D"), ids(with(search(), b -> b.sort(new Sort(SortField.CREATED_DATE, false)))));
      assertEquals(List.of("C", "A", "D", "B"), ids(with(search(), b -> b.sort(new Sort(SortField.START_DATE, false)))));
      // Open-ended B has no end date: last in either direction.
      assertEquals(List.of("C", "D", "A", "B"), ids(with(search(), b -> b.sort(new Sort(SortField.END_DATE, false)))));
      assertEquals(List.of("A", "D", "C", "B"), ids(with(search(), b -> b.sort(new Sort(SortField.END_DATE, true)))));
      // Effective enrolment end: the day before the end date; none for B.
      assertEquals(List.of("A", "D", "C", "B"), ids(with(search(), b -> b.sort(new Sort(SortField.ENROLLMENT_END_DATE, true)))));
      // Only B and A were updated (A last); never-updated batches go last, ties broken by id.
      assertEquals(List.of("A", "B", "C", "D"), ids(with(search(), b -> b.sort(new Sort(SortField.UPDATED_DATE, true)))));
      // Several keys: updated first (B, then A; C and D never updated), then name descending for the tie.
      assertEquals(List.of("B", "A", "C", "D"), ids(with(search(), b -> b.sort(new Sort(SortField.UPDATED_DATE, false)))));
      assertEquals(List.of("B", "A", "D", "C"), ids(with(search(),
          b -> b.sort(new Sort(SortField.UPDATED_DATE, false), new Sort(SortField.NAME, true)))));

      BatchSearch.Page page = await(queries.search(
          with(search(), b -> b.sort(new Sort(SortField.NAME, false)).page(2, 1)), NOW));
      assertEquals(4, page.count());
      assertEquals(List.of("B", "C"), page.content().stream().map(v -> v.batch().batchId()).toList());

      BatchSearch.Page last = await(queries.search(
          with(search(), b -> b.sort(new Sort(SortField.NAME, false)).page(2, 3)), NOW));
      assertEquals(4, last.count());
      assertEquals(List.of("D"), last.content().stream().map(v -> v.batch().batchId()).toList());

      BatchSearch.Page counted = await(queries.search(with(search(), b -> b.courseIds("c2").page(0, 0)), NOW));
      assertEquals(2, counted.count());
      assertEquals(List.of(), counted.content());

      var error = assertThrows(ExecutionException.class, () -> await(queries.search(with(search(), b -> b.page(-1, 0)), NOW)));
      assertInstanceOf(IllegalArgumentException.class, error.getCause());
    }

    @Test
    void valuesAreBoundNotSpliced() throws Exception {
      fourBatches();
      assertEquals(List.of(), ids(with(search(), b -> b.courseIds("c1' OR '1'='1"))));
      assertEquals(List.of(), ids(with(search(), b -> b.mentors("m1') OR ('1'='1"))));
      assertEquals(4, await(queries.search(search(), NOW)).count());
    }

    @Test
    void dueTransitionsAndTheNextOne() throws Exception {
      fourBatches();
      // D should have started (2030-01-05), C should have ended (after 2030-01-05): longest overdue first.
      assertEquals(List.of("D", "C"), await(queries.dueBatchIds(NOW, 10)));
      assertEquals(List.of("D"), await(queries.dueBatchIds(NOW, 1)));
      // Next: B starts 2030-01-20 (A ends 2030-04-01; D and C are already due).
      assertEquals(Optional.of(Instant.parse("2030-01-20T00:00:00Z")), await(queries.nextTransitionAfter(NOW)));

      feed(new BatchStarted("D", Instant.parse("2030-01-05T00:00:00Z"), "system", NOW),
          new BatchEnded("C", Instant.parse("2030-01-06T00:00:00Z"), "system", NOW));
      assertEquals(List.of(), await(queries.dueBatchIds(NOW, 10)));
      // Now D's end (after 2030-02-01) is also ahead, but B's start is still first.
      assertEquals(Optional.of(Instant.parse("2030-01-20T00:00:00Z")), await(queries.nextTransitionAfter(NOW)));
      assertEquals(Optional.of(Instant.parse("2030-02-02T00:00:00Z")),
          await(queries.nextTransitionAfter(Instant.parse("2030-01-25T00:00:00Z"))));
      assertEquals(List.of("B"), await(queries.dueBatchIds(Instant.parse("2030-01-25T00:00:00Z"), 10)));

      assertEquals(Optional.of(Instant.parse("2030-04-01T00:00:00Z")),
          await(queries.nextTransitionAfter(Instant.parse("2030-03-01T00:00:00Z"))));
      assertEquals(Optional.empty(), await(queries.nextTransitionAfter(Instant.parse("2031-01-01T00:00:00Z"))));
      clear();
      assertEquals(Optional.empty(), await(queries.nextTransitionAfter(NOW)));
      assertEquals(List.of(), await(queries.dueBatchIds(NOW, 10)));
    }

    @Test
    void instantsFollowTheBatchTimeZone() throws Exception {
      feed(new BatchCreated("K", "c9", "Kolkata", null, null, EnrollmentType.OPEN, d("2030-01-11"), d("2030-01-12"), null,
          "Asia/Kolkata", List.of(), List.of(), BatchStatus.UPCOMING, "u1", T0));
      // 2030-01-11 00:00 in Kolkata is 2030-01-10 18:30 UTC.
      assertEquals(Optional.of(Instant.parse("2030-01-10T18:30:00Z")), await(queries.nextTransitionAfter(NOW)));
      assertEquals(List.of(), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS)), Instant.parse("2030-01-10T18:29:59Z")));
      assertEquals(List.of("K"), ids(with(search(), b -> b.statuses(BatchStatus.IN_PROGRESS)), Instant.parse("2030-01-10T18:30:00Z")));
      assertEquals(List.of("K"), await(queries.dueBatchIds(Instant.parse("2030-01-10T18:30:00Z"), 10)));
    }

    @Test
    void aReplayedCreationStartsOver() throws Exception {
      fourBatches();
      // A projection rebuilt from offset zero sees BatchCreated again: it replaces the row.
      feed(created("A", "c1", "Alpha again", EnrollmentType.OPEN, "2030-01-01", "2030-01-31", "u1", List.of("m9"),
          List.of(), BatchStatus.UPCOMING, T0));
      Batch a = await(queries.search(with(search(), b -> b.batchIds("A")), NOW)).content().get(0).batch();
      assertEquals("Alpha again", a.name());
      assertEquals(Map.of(), a.certTemplates());
      assertEquals(List.of("A"), ids(with(search(), b -> b.mentors("m9"))));
      assertEquals(List.of(), ids(with(search(), b -> b.mentors("m1"))));
      assertEquals(List.of(), ids(with(search(), b -> b.createdFor("o1").batchIds("A"))));
    }
  }
}
