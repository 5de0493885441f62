package org.coursebatch.persistence.catalog;

import akka.Done;
import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.coursebatch.core.catalog.CatalogAdmin;
import org.coursebatch.core.catalog.Course;
import org.coursebatch.core.catalog.CourseCatalog;
import org.coursebatch.core.catalog.CourseDocuments;
import org.coursebatch.core.certificate.CertificateTemplateAsset;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.JsonDocuments;
import org.coursebatch.persistence.db.Upsert;

/**
 * The built-in catalog in the service's database. Courses are stored as the registered document
 * and parsed again on read, so a read yields exactly what registering it did.
 */
public final class JdbcCourseCatalog implements CourseCatalog, CatalogAdmin {

  private static final String COURSE_COLUMNS =
      "course_id, name, status, trackable, user_consent, leaf_nodes_count, document, updated_by, updated_at";
  private static final String TEMPLATE_COLUMNS = "template_id, name, url, document, updated_by, updated_at";

  private final Database db;
  private final ObjectMapper mapper;
  private final ObjectWriter writer;
  private final Executor executor;
  private final Clock clock;
  private final String putCourseSql;
  private final String putTemplateSql;

  public JdbcCourseCatalog(ActorSystem<?> system, Database db) {
    this(system, db, Clock.systemUTC());
  }

  /** {@code clock} stamps {@code updated_at}. */
  public JdbcCourseCatalog(ActorSystem<?> system, Database db, Clock clock) {
    this.db = db;
    this.mapper = JsonDocuments.mapper(system);
    this.writer = JsonDocuments.writer(mapper);
    this.executor = Database.jdbcExecutor(system);
    this.clock = clock;
    this.putCourseSql = Upsert.sql(db.settings().vendor(), "catalog_course", "course_id", COURSE_COLUMNS);
    this.putTemplateSql = Upsert.sql(db.settings().vendor(), "catalog_certificate_template", "template_id", TEMPLATE_COLUMNS);
  }

  @Override
  public CompletionStage<Done> putCourse(Course course, String actor) {
    Objects.requireNonNull(course.document(), "course.document() is required: the catalog stores the registered document");
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(putCourseSql)) {
        ps.setString(1, course.identifier());
        ps.setString(2, course.name());
        ps.setString(3, course.status());
        ps.setBoolean(4, course.trackable());
        ps.setBoolean(5, course.userConsent());
        ps.setInt(6, course.leafNodesCount());
        // The document exactly as registered (a tree, written as is).
        ps.setString(7, mapper.writeValueAsString(course.document()));
        ps.setString(8, actor);
        ps.setLong(9, clock.millis());
        ps.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  @Override
  public CompletionStage<Done> putCertificateTemplate(CertificateTemplateAsset asset, String actor) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(putTemplateSql)) {
        ps.setString(1, asset.identifier());
        ps.setString(2, asset.name());
        ps.setString(3, asset.url());
        ps.setString(4, writer.writeValueAsString(asset));
        ps.setString(5, actor);
        ps.setLong(6, clock.millis());
        ps.executeUpdate();
      }
      return Done.getInstance();
    });
  }

  @Override
  public CompletionStage<Optional<Course>> findCourse(String courseId) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT document FROM catalog_course WHERE course_id = ?")) {
        ps.setString(1, courseId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(CourseDocuments.stored(courseId, mapper.readTree(rs.getString(1)))) : Optional.<Course>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<Optional<CertificateTemplateAsset>> findCertificateTemplate(String templateId) {
    return db.runAsync(executor, connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT document FROM catalog_certificate_template WHERE template_id = ?")) {
        ps.setString(1, templateId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(mapper.readValue(rs.getString(1), CertificateTemplateAsset.class))
              : Optional.<CertificateTemplateAsset>empty();
        }
      }
    });
  }
}
