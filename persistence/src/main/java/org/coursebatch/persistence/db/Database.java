package org.coursebatch.persistence.db;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A connection pool to the service's database, for the read models and the projections' sessions.
 * (akka-persistence-jdbc keeps its own Slick pools, the journal's and the read journal's, configured by
 * {@link org.coursebatch.persistence.journal.PersistenceConfig}.) {@link #migrate()} owns the schema.
 */
public final class Database implements AutoCloseable {

  private final DatabaseSettings settings;
  private final HikariDataSource dataSource;

  private Database(DatabaseSettings settings, HikariDataSource dataSource) {
    this.settings = settings;
    this.dataSource = dataSource;
  }

  public static Database open(DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("course-batch-db");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setDriverClassName(switch (settings.vendor()) {
      case H2 -> "org.h2.Driver";
      case POSTGRES -> "org.postgresql.Driver";
    });
    settings.driverProperties().forEach(config::addDataSourceProperty);
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(Math.min(2, settings.maxPoolSize()));
    // Fail fast when the database is unreachable instead of Hikari's 30 s default, and reconnect soon after it is back.
    config.setConnectionTimeout(DatabaseSettings.POOL_WAIT_MILLIS);
    config.setValidationTimeout(DatabaseSettings.VALIDATION_TIMEOUT_MILLIS);
    // Don't fail the constructor on a database that is still starting; the first use reports it.
    config.setInitializationFailTimeout(-1);
    return new Database(settings, new HikariDataSource(config));
  }

  /**
   * Reports the pool to {@code registry} (HikariCP's own meters, tagged with the pool's name:
   * connections active, idle and pending, and how long work waited for one). Once per pool.
   */
  public void meterTo(MeterRegistry registry) {
    dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
  }

  /** Applies the pending migrations of this vendor; a no-op when the schema is current. */
  public void migrate() {
    migrations(settings.vendor()).dataSource(dataSource).load().migrate();
  }

  /**
   * The schema's migrations for {@code vendor} (ADR 21): one tree, {@code db/migration/common},
   * written once for both databases, and beside it a tree per vendor for the scripts that differ
   * (the older ones, in large-object type names). A new script goes into the common tree and names
   * those types through the placeholders {@code ${text}} (TEXT, CLOB) and {@code ${bytes}} (BYTEA, BLOB).
   */
  public static FluentConfiguration migrations(DatabaseSettings.Vendor vendor) {
    boolean h2 = vendor == DatabaseSettings.Vendor.H2;
    return Flyway.configure(Database.class.getClassLoader())
        .locations(MIGRATIONS + "common", MIGRATIONS + (h2 ? "h2" : "postgresql"))
        .placeholders(Map.of("text", h2 ? "CLOB" : "TEXT", "bytes", h2 ? "BLOB" : "BYTEA"));
  }

  /** Where the migration trees are, on the class path. */
  public static final String MIGRATIONS = "classpath:db/migration/";

  /** Work on one pooled connection (in auto-commit mode unless the work changes it). */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    T apply(Connection connection) throws Exception;
  }

  /** The dispatcher for blocking JDBC work ({@code course-batch.jdbc-dispatcher}), to pass to {@link #runAsync}. */
  public static Executor jdbcExecutor(ActorSystem<?> system) {
    return system.dispatchers().lookup(DispatcherSelector.fromConfig("course-batch.jdbc-dispatcher"));
  }

  /**
   * Runs blocking JDBC work on {@code executor} (a dispatcher meant for blocking calls). The stage
   * fails with the work's own exception, e.g. the {@link java.sql.SQLException}.
   */
  public <T> CompletionStage<T> runAsync(Executor executor, ConnectionWork<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try (Connection connection = dataSource.getConnection()) {
          result.complete(work.apply(connection));
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
