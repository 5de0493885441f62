package org.coursebatch.persistence.testing;

import static org.coursebatch.persistence.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.projection.eventsourced.EventEnvelope;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.db.PlainJdbcSession;
import org.coursebatch.persistence.journal.PersistenceConfig;
import org.coursebatch.persistence.projection.ReadModelHandler;

/** Test scaffolding for read models: a journal-backed single-node cluster, and handlers fed by hand. */
public final class ReadModels {

  private ReadModels() {}

  /** An actor system journaling to {@code settings}' database, joined to itself as a one-node cluster and up. */
  public static ActorTestKit singleNodeCluster(String name, DatabaseSettings settings) throws Exception {
    Config config = ConfigFactory.parseString("""
            akka.actor.provider = cluster
            akka.remote.artery.canonical.port = 0
            akka.remote.artery.canonical.hostname = 127.0.0.1
            """)
        .withFallback(PersistenceConfig.forDatabase(settings))
        .withFallback(ConfigFactory.load());
    ActorTestKit testKit = ActorTestKit.create(name + "-" + settings.vendor().name().toLowerCase(), config);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    eventually(() -> assertEquals(MemberStatus.up(), cluster.selfMember().status()));
    return testKit;
  }

  /** Runs one envelope through {@code handler} in its own committed transaction. */
  public static <E> void process(Database db, ReadModelHandler<E> handler, EventEnvelope<E> envelope) throws Exception {
    processGroup(db, handler, java.util.List.of(envelope));
  }

  /** Runs a group of envelopes through {@code handler} in one committed transaction, as the projection does. */
  public static <E> void processGroup(Database db, ReadModelHandler<E> handler, java.util.List<EventEnvelope<E>> envelopes)
      throws Exception {
    PlainJdbcSession session = new PlainJdbcSession(db.dataSource());
    try {
      handler.process(session, envelopes);
      session.commit();
    } catch (Exception e) {
      session.rollback();
      throw e;
    } finally {
      session.close();
    }
  }
}
