package org.coursebatch.persistence.batch;

import static org.coursebatch.persistence.testing.Eventually.await;
import static org.coursebatch.persistence.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.batch.BatchChanges;
import org.coursebatch.core.batch.BatchSearch;
import org.coursebatch.core.batch.BatchService;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.certificate.CertificateCriteria;
import org.coursebatch.core.certificate.CertificateTemplate;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.catalog.JdbcCourseCatalog;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end on a single-node cluster: real batch entities write to the JDBC journal, the real
 * projection fills the read model, and the queries read it.
 */
@OnBothDatabases
class BatchProjectionTest {

  static final Instant START = Instant.parse("2030-01-10T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static BatchSearch searchAll() {
    return new BatchSearch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 50, 0, List.of());
  }

  static BatchSearch byMentor(String mentor) {
    return new BatchSearch(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(mentor), List.of(), 50, 0, List.of());
  }

  static BatchSearch byStatus(BatchStatus status) {
    return new BatchSearch(List.of(), List.of(), List.of(status), List.of(), List.of(), List.of(), List.of(), 50, 0, List.of());
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    MutableClock clock = new MutableClock(START);

    @BeforeAll
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      testKit = ReadModels.singleNodeCluster("projection", settings);
      CourseBatchEntity.init(testKit.system(), clock, "UTC");
      BatchProjection.init(testKit.system(), db);
    }

    @AfterAll
    void stop() {
      if (testKit != null) {
        testKit.shutdownTestKit();
      }
      db.close();
    }

    @Test
    void eventsOfRealEntitiesReachTheReadModel() throws Exception {
      var system = testKit.system();
      var catalog = new JdbcCourseCatalog(system, db, clock);
      var queries = new JdbcBatchQueries(system, db);
      var service = new BatchService(system, catalog, Duration.ofSeconds(10), clock, "UTC");
      await(catalog.putCourse(CourseDocuments.parse("do_c1", JSON.readTree("""
          {"name": "Java", "status": "Live", "trackable": {"enabled": "Yes"},
           "children": [{"identifier": "do_c1_leaf", "name": "Intro"}]}
          """)), "admin"));
      var issuer = JSON.readTree("{\"name\": \"Academy\"}");
      await(catalog.putCertificateTemplate(new CertificateTemplateAsset("tpl_1", "Merit", "https://cdn.example/m.svg",
          issuer, List.of(new Signatory("Ann", "ann-1", "Director", "https://cdn.example/ann.png"))), "admin"));

      Caller creator = Caller.of("creator-1", "CONTENT_CREATOR");
      BatchView evening = await(service.create(new NewBatch("do_c1", "Evening", null, null, EnrollmentType.OPEN,
          LocalDate.parse("2030-01-15"), LocalDate.parse("2030-02-15"), null, List.of("org-1"), List.of("m1")), creator, ClientRequest.none()));
      BatchView morning = await(service.create(new NewBatch("do_c1", "Morning", null, null, EnrollmentType.INVITE_ONLY,
          LocalDate.parse("2030-01-10"), null, null, List.of(), List.of("m2")), creator, ClientRequest.none()));
      String eveningId = evening.batch().batchId();
      String morningId = morning.batch().batchId();

      eventually(() -> {
        BatchSearch.Page page = await(queries.search(searchAll(), clock.instant()));
        assertEquals(2, page.count());
        assertEquals(Map.of(eveningId, BatchStatus.UPCOMING, morningId, BatchStatus.IN_PROGRESS),
            Map.of(page.content().get(0).batch().batchId(), page.content().get(0).status(),
                page.content().get(1).batch().batchId(), page.content().get(1).status()));
      });

      await(service.update(eveningId, BatchChanges.none("do_c1").withName("Evening v2").withMentors(List.of("m1", "m3")),
          creator, ClientRequest.none()));
      await(service.addTemplate(eveningId, "do_c1",
          // notifyTemplate and additionalProps are set: a null JsonNode comes back from the journal as a NullNode
          // (see the report), which would make the live entity and the read model differ in that detail only.
          new CertificateTemplate("tpl_1", null, null, new CertificateCriteria(2, null, null), null, List.of(),
              JSON.readTree("{\"template\": \"cert-issued\"}"), JSON.readTree("{\"level\": 1}")),
          false, creator, ClientRequest.none()));
      eventually(() -> {
        List<BatchView> found = await(queries.search(byMentor("m3"), clock.instant())).content();
        assertEquals(List.of(eveningId), found.stream().map(v -> v.batch().batchId()).toList());
        assertEquals("Evening v2", found.get(0).batch().name());
        assertEquals("Merit", found.get(0).batch().certTemplates().get("tpl_1").name());
        // The read model holds exactly what the entity answers.
        BatchView fromEntity = await(service.get(eveningId));
        assertEquals(fromEntity, found.get(0));
      });

      assertEquals(List.of(), await(queries.dueBatchIds(clock.instant(), 10)));
      assertEquals(Optional.of(Instant.parse("2030-01-15T00:00:00Z")), await(queries.nextTransitionAfter(clock.instant())));

      // The clock passes the start; until the entity records it, the batch is "due".
      clock.set(Instant.parse("2030-01-16T08:00:00Z"));
      assertEquals(List.of(eveningId), await(queries.dueBatchIds(clock.instant(), 10)));
      assertEquals(List.of(eveningId), await(queries.search(byStatus(BatchStatus.IN_PROGRESS), clock.instant())).content()
          .stream().map(v -> v.batch().batchId()).filter(eveningId::equals).toList());
      assertEquals(BatchStatus.IN_PROGRESS, await(service.get(eveningId)).batch().status());
      eventually(() -> assertEquals(List.of(), await(queries.dueBatchIds(clock.instant(), 10))));
      assertEquals(Optional.of(Instant.parse("2030-02-16T00:00:00Z")), await(queries.nextTransitionAfter(clock.instant())));

      // Offsets are kept per tag under the projection's name.
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement(
               "SELECT COUNT(*) FROM akka_projection_offset_store WHERE projection_name = ?")) {
        ps.setString(1, BatchProjection.NAME);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertTrue(rs.getLong(1) >= 1, "offsets stored");
        }
      }
    }
  }
}
