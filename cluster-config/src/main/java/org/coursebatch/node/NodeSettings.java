package org.coursebatch.node;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.coursebatch.persistence.db.DatabaseSettings;

/** The node's own settings ({@code course-batch.*}), checked once at start-up. */
public record NodeSettings(
    Path dataDir,
    String timeZone,
    String httpHost,
    int httpPort,
    long maxBodyBytes,
    Duration askTimeout,
    Duration drainTimeout,
    int searchMaxLimit,
    DatabaseSettings database,
    String jwtSecret,
    String jwtPublicKey,
    String jwtIssuer,
    String rolesClaim,
    List<String> batchCreatorRoles,
    List<String> catalogWriterRoles,
    List<String> enrollmentAdminRoles,
    Duration wakeUpMaxInterval) {

  public static NodeSettings from(Config root) {
    Config c = root.getConfig("course-batch");
    Path dataDir = Path.of(c.getString("data-dir")).toAbsolutePath().normalize();
    String zone = c.getString("timezone");
    ZoneId.of(zone); // fail fast on an unknown zone
    String url = c.getString("db.url");
    DatabaseSettings db = (url.isBlank()
        ? DatabaseSettings.h2File(dataDir)
        : DatabaseSettings.of(url, c.getString("db.user"), c.getString("db.password")))
        .withMaxPoolSize(c.getInt("db.pool-size"));
    return new NodeSettings(dataDir, zone,
        c.getString("http.host"), c.getInt("http.port"), c.getBytes("http.max-body-bytes"),
        c.getDuration("http.ask-timeout"), c.getDuration("http.drain-timeout"), c.getInt("http.search-max-limit"),
        db,
        c.getString("auth.jwt-secret"), c.getString("auth.jwt-public-key"), c.getString("auth.issuer"),
        c.getString("auth.roles-claim"),
        csv(c.getString("roles.batch-creators")), csv(c.getString("roles.catalog-writers")),
        csv(c.getString("roles.enrollment-admins")),
        c.getDuration("wake-up.max-interval"));
  }

  private static List<String> csv(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public Path devKeyFile() {
    return dataDir.resolve("dev-jwt-key.json");
  }
}
