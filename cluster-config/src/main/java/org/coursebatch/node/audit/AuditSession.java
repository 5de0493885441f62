package org.coursebatch.node.audit;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.coursebatch.node.NodeSettings;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.journal.PersistenceConfig;

/**
 * The database of the node's settings (BATCH_DB_URL etc.) and, when a command needs Akka's
 * serialization or read journal, a local actor system on it that joins no cluster.
 */
final class AuditSession implements AutoCloseable {

  private final NodeSettings settings;
  private final Database database;
  private ActorSystem<Void> system;

  private AuditSession(NodeSettings settings, Database database) {
    this.settings = settings;
    this.database = database;
  }

  /** The nodes' database, refused (with the settings to check) when it holds no journal. */
  static AuditSession open() {
    NodeSettings settings = NodeSettings.from(ConfigFactory.load());
    Database database = Database.open(settings.database());
    try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeQuery("SELECT 1 FROM event_journal WHERE 1 = 0").close();
    } catch (SQLException noJournal) {
      database.close();
      throw new IllegalStateException("no event journal at " + settings.database().url() + ": set BATCH_DB_URL (or, for the"
          + " embedded database, BATCH_DATA_DIR) to the database the nodes use", noJournal);
    }
    return new AuditSession(settings, database);
  }

  NodeSettings settings() {
    return settings;
  }

  Database database() {
    return database;
  }

  /** A local (non-cluster) actor system on the database: serialization, the read journal. */
  synchronized ActorSystem<Void> system() {
    if (system == null) {
      Config config = ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = WARNING")
          .withFallback(PersistenceConfig.forDatabase(settings.database()))
          .withFallback(ConfigFactory.load());
      system = ActorSystem.create(Behaviors.empty(), "course-batch-audit", config);
    }
    return system;
  }

  @Override
  public void close() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    database.close();
  }
}
