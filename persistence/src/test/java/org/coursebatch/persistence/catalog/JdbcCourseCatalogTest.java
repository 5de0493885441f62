package org.coursebatch.persistence.catalog;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.catalog.CourseNode;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.core.certificate.Signatory;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@OnBothDatabases
class JdbcCourseCatalogTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Course course(String id, String name, String status) throws Exception {
    return CourseDocuments.parse(id, JSON.readTree("""
        {"name": "%s", "status": "%s", "trackable": {"enabled": "Yes"}, "userConsent": "No",
         "children": [
           {"identifier": "%s_u1", "name": "Unit 1", "children": [
             {"identifier": "%s_c1", "name": "Intro", "mimeType": "video/mp4"},
             {"identifier": "%s_q1", "name": "Quiz", "mimeType": "application/vnd.sunbird.questionset",
              "questions": [{"identifier": "q1", "maxScore": 2}, {"identifier": "q2"}]}
           ]},
           {"identifier": "%s_c2", "name": "Wrap-up"}
         ]}
        """.formatted(name, status, id, id, id, id)));
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    JdbcCourseCatalog catalog;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      catalog = new JdbcCourseCatalog(testKit.system(), db, clock);
    }

    @AfterAll
    void close() {
      db.close();
    }

    @Test
    void coursesRoundTripAndAreReplaced() throws Exception {
      assertEquals(Optional.empty(), await(catalog.findCourse("do_1")));

      Course original = course("do_1", "Java basics", "Draft");
      await(catalog.putCourse(original, "admin-1"));
      Course found = await(catalog.findCourse("do_1")).orElseThrow();
      assertEquals(original, found);
      assertEquals(3, found.leafNodesCount());
      assertFalse(found.acceptsBatches());
      assertEquals(List.of(CourseNode.Kind.UNIT, CourseNode.Kind.CONTENT),
          found.children().stream().map(CourseNode::kind).toList());
      assertEquals(2.0, found.children().get(0).children().get(1).questions().get(0).maxScore());

      clock.set(Instant.parse("2030-01-02T00:00:00Z"));
      Course replaced = course("do_1", "Java basics, 2nd edition", "Live");
      await(catalog.putCourse(replaced, "admin-2"));
      Course again = await(catalog.findCourse("do_1")).orElseThrow();
      assertEquals("Java basics, 2nd edition", again.name());
      assertTrue(again.acceptsBatches());
      assertEquals(replaced.document(), again.document());

      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*), MAX(updated_by), MAX(updated_at), MAX(status) FROM catalog_course")) {
        rs.next();
        assertEquals(1, rs.getLong(1));
        assertEquals("admin-2", rs.getString(2));
        assertEquals(Instant.parse("2030-01-02T00:00:00Z").toEpochMilli(), rs.getLong(3));
        assertEquals("Live", rs.getString(4));
      }
      assertEquals(Optional.empty(), await(catalog.findCourse("do_2")));
    }

    @Test
    void certificateTemplatesRoundTripAndAreReplaced() throws Exception {
      assertEquals(Optional.empty(), await(catalog.findCertificateTemplate("tpl_1")));
      var issuer = JSON.readTree("{\"name\": \"Academy\", \"url\": \"https://academy.example\"}");
      var asset = new CertificateTemplateAsset("tpl_1", "Merit", "https://cdn.example/merit.svg", issuer,
          List.of(new Signatory("Ann", "ann-1", "Director", "https://cdn.example/ann.png")));
      await(catalog.putCertificateTemplate(asset, "admin-1"));
      assertEquals(asset, await(catalog.findCertificateTemplate("tpl_1")).orElseThrow());

      var bare = new CertificateTemplateAsset("tpl_1", "Merit v2", null, null, List.of());
      await(catalog.putCertificateTemplate(bare, "admin-2"));
      assertEquals(bare, await(catalog.findCertificateTemplate("tpl_1")).orElseThrow());
      assertEquals(Optional.empty(), await(catalog.findCertificateTemplate("tpl_2")));
    }
  }
}
