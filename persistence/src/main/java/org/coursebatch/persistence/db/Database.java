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
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

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
    String location = switch (settings.vendor()) {
      case H2 -> "classpath:db/migration/h2";
      case POSTGRES -> "classpath:db/migration/postgresql";
    };
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(dataSource)
        .locations(location)
        .load()
        .migrate();
  }

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
