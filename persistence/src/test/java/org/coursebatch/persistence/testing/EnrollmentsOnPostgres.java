package org.coursebatch.persistence.testing;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.time.Instant;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * Enrolment entities in a single-node cluster on a fresh PostgreSQL database of their own (migrated),
 * with the clock at a fixed instant; closing stops the cluster and drops the database.
 */
public final class EnrollmentsOnPostgres implements AutoCloseable {

  private final DatabaseSettings settings;
  private final Database db;
  private final ActorTestKit testKit;

  private EnrollmentsOnPostgres(DatabaseSettings settings, Database db, ActorTestKit testKit) {
    this.settings = settings;
    this.db = db;
    this.testKit = testKit;
  }

  /** @param settings a {@link TestDatabases#freshPostgres()}, perhaps with other pool sizes */
  public static EnrollmentsOnPostgres start(String name, DatabaseSettings settings) throws Exception {
    Database db = Database.open(settings);
    db.migrate();
    ActorTestKit testKit = ReadModels.singleNodeCluster(name, settings);
    EnrollmentEntity.init(testKit.system(), new MutableClock(Instant.parse("2030-01-10T12:00:00Z")));
    return new EnrollmentsOnPostgres(settings, db, testKit);
  }

  public Database db() {
    return db;
  }

  public ActorTestKit testKit() {
    return testKit;
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
    db.close();
    TestDatabases.dropPostgres(settings);
  }
}
