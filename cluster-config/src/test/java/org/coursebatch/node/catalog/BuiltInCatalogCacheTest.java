package org.coursebatch.node.catalog;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.http.content.CachedBuiltInCatalog;
import org.coursebatch.http.content.CachedCourseCatalog;
import org.coursebatch.persistence.catalog.JdbcCourseCatalog;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built-in catalog behind each node's cache (ADR 10, addendum), as two nodes of a cluster
 * would have it: two caches over one database. A node reads its own writes at once, another node
 * after the expiry, and "not found" is never kept.
 */
@OnBothDatabases
class BuiltInCatalogCacheTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LONG = Duration.ofMinutes(10);

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Course course(String id, String name) throws Exception {
    return CourseDocuments.parse(id, JSON.readTree("""
        {"name": "%s", "status": "Live", "trackable": {"enabled": "Yes"},
         "children": [{"identifier": "%s_c1", "name": "Intro", "mimeType": "video/mp4"}]}
        """.formatted(name, id)));
  }

  private static CertificateTemplateAsset template(String id, String name) {
    return new CertificateTemplateAsset(id, name, "https://certs/" + id + ".svg", null, java.util.List.of());
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    Database db;
    ActorTestKit kit;

    @BeforeAll
    void open(TestDatabase database, ActorTestKit testKit) {
      db = Database.open(database.fresh());
      db.migrate();
      kit = testKit;
    }

    @AfterAll
    void close() {
      db.close();
    }

    CachedBuiltInCatalog node(Duration expiry) {
      return new CachedBuiltInCatalog(new JdbcCourseCatalog(kit.system(), db), new CachedCourseCatalog.Settings(10, 10, expiry,
          Duration.ZERO), kit.system().executionContext());
    }

    @Test
    void aNodeReadsItsOwnWriteAtOnceAndAnotherNodeAfterTheExpiry() throws Exception {
      CachedBuiltInCatalog a = node(LONG);
      CachedBuiltInCatalog b = node(LONG);
      await(a.putCourse(course("do_kept", "First"), "curator"));
      assertEquals("First", await(a.findCourse("do_kept")).orElseThrow().name());
      assertEquals("First", await(b.findCourse("do_kept")).orElseThrow().name());

      await(a.putCourse(course("do_kept", "Second"), "curator"));
      assertEquals("Second", await(a.findCourse("do_kept")).orElseThrow().name(), "the writing node forgot its copy");
      assertEquals("First", await(b.findCourse("do_kept")).orElseThrow().name(), "the other node keeps its copy until it expires");
      assertEquals("Second", await(node(LONG).findCourse("do_kept")).orElseThrow().name(), "a node without a copy reads the database");

      await(a.putCertificateTemplate(template("tpl_kept", "First"), "curator"));
      assertEquals("First", await(a.findCertificateTemplate("tpl_kept")).orElseThrow().name());
      await(a.putCertificateTemplate(template("tpl_kept", "Second"), "curator"));
      assertEquals("Second", await(a.findCertificateTemplate("tpl_kept")).orElseThrow().name());
    }

    @Test
    void aCopyExpires() throws Exception {
      CachedBuiltInCatalog a = node(LONG);
      CachedBuiltInCatalog b = node(Duration.ofMillis(200));
      await(a.putCourse(course("do_expiring", "First"), "curator"));
      assertEquals("First", await(b.findCourse("do_expiring")).orElseThrow().name());
      await(a.putCourse(course("do_expiring", "Second"), "curator"));
      Thread.sleep(300);
      assertEquals("Second", await(b.findCourse("do_expiring")).orElseThrow().name());
    }

    @Test
    void notFoundIsNeverKept() throws Exception {
      CachedBuiltInCatalog a = node(LONG);
      CachedBuiltInCatalog b = node(LONG);
      assertEquals(Optional.empty(), await(b.findCourse("do_new")));
      assertEquals(Optional.empty(), await(b.findCertificateTemplate("tpl_new")));
      await(a.putCourse(course("do_new", "New"), "curator"));
      await(a.putCertificateTemplate(template("tpl_new", "New"), "curator"));
      assertEquals("New", await(b.findCourse("do_new")).orElseThrow().name(), "registered on one node, usable on every node");
      assertEquals("New", await(b.findCertificateTemplate("tpl_new")).orElseThrow().name());
    }

    @Test
    void withoutAnExpiryEveryLookupReadsTheDatabase() throws Exception {
      CachedBuiltInCatalog a = node(LONG);
      CachedBuiltInCatalog b = node(Duration.ZERO);
      await(a.putCourse(course("do_uncached", "First"), "curator"));
      assertEquals("First", await(b.findCourse("do_uncached")).orElseThrow().name());
      await(a.putCourse(course("do_uncached", "Second"), "curator"));
      assertEquals("Second", await(b.findCourse("do_uncached")).orElseThrow().name());
    }

    @Test
    void keepingNotFoundIsRefused() {
      var settings = new CachedCourseCatalog.Settings(10, 10, LONG, Duration.ofSeconds(1));
      assertThrows(IllegalArgumentException.class,
          () -> new CachedBuiltInCatalog(new JdbcCourseCatalog(kit.system(), db), settings, kit.system().executionContext()));
    }
  }
}
