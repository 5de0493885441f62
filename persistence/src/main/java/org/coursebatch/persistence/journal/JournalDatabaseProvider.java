package org.coursebatch.persistence.journal;

import akka.actor.ActorSystem;
import akka.persistence.jdbc.db.DefaultSlickDatabaseProvider;
import akka.persistence.jdbc.db.SlickDatabase;
import akka.persistence.jdbc.db.SlickDatabaseProvider;
import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcBackend$;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.coursebatch.core.metrics.NodeMeters;
import slick.jdbc.JdbcDataSource;
import slick.jdbc.hikaricp.HikariCPJdbcDataSource;
import slick.jdbc.JdbcDataSource$;
import slick.jdbc.JdbcProfile;

/**
 * akka-persistence-jdbc's source of Slick databases ({@code akka-persistence-jdbc.database-provider-fqcn}):
 * a shared database ({@code use-shared-db}) is built as the plugin's default builds it, from the
 * same settings and with the same HikariCP pool, but runs its actions on a {@link JournalExecutor}
 * instead of Slick 3.4's executor (ADR 5). Each shared database is built once per actor system,
 * on first use, and closed when the system terminates. Plugins without a shared database are
 * left to the plugin's default provider.
 */
public final class JournalDatabaseProvider implements SlickDatabaseProvider {

  private static final String SHARED = "akka-persistence-jdbc.shared-databases";

  private final ActorSystem system;
  private final DefaultSlickDatabaseProvider fallback;
  private final Map<String, SlickDatabase> shared = new ConcurrentHashMap<>();

  public JournalDatabaseProvider(ActorSystem system) {
    this.system = system;
    this.fallback = new DefaultSlickDatabaseProvider(system);
  }

  @Override
  public SlickDatabase database(Config pluginConfig) {
    if (!pluginConfig.hasPath("use-shared-db") || pluginConfig.getString("use-shared-db").isBlank()) {
      return fallback.database(pluginConfig);
    }
    String name = pluginConfig.getString("use-shared-db");
    String path = SHARED + "." + name;
    if (!system.settings().config().hasPath(path + ".profile")) {
      throw new IllegalStateException("No shared database is configured under " + path);
    }
    return shared.computeIfAbsent(name, n -> build(n, system.settings().config().getConfig(path)));
  }

  private SlickDatabase build(String name, Config config) {
    JdbcProfile profile = profile(config.getString("profile"));
    Config db = config.getConfig("db");
    ClassLoader loader = system.getClass().getClassLoader();
    JdbcDataSource source = JdbcDataSource$.MODULE$.forConfig(db, null, name, loader);
    int threads = db.hasPath("numThreads") ? db.getInt("numThreads") : 20;
    int maxConnections = source.maxConnections().isDefined() ? (Integer) source.maxConnections().get() : threads;
    int queueSize = db.hasPath("queueSize") ? db.getInt("queueSize") : 1000;
    JournalExecutor executor = new JournalExecutor("journal-db-" + name, threads, maxConnections, queueSize);
    MeterRegistry registry = NodeMeters.registry(system);
    executor.meterTo(registry, PersistenceConfig.poolName(name));
    if (source instanceof HikariCPJdbcDataSource hikari) {
      hikari.ds().setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }
    JdbcBackend.DatabaseDef database = JdbcBackend$.MODULE$.Database().forSource(source, executor);
    system.registerOnTermination(database::close);
    JournalExecutors.get(system).register(executor);
    return new Shared(database, profile);
  }

  /** A Slick profile is a Scala object: its class name ends in {@code $} and holds the instance. */
  private static JdbcProfile profile(String className) {
    try {
      return (JdbcProfile) Class.forName(className).getField("MODULE$").get(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("Not a Slick JDBC profile: " + className, e);
    }
  }

  /** A database shared by the plugins: none of them may close it; the actor system does. */
  private record Shared(JdbcBackend.DatabaseDef database, JdbcProfile profile) implements SlickDatabase {
    @Override
    public boolean allowShutdown() {
      return false;
    }
  }
}
