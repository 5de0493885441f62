package org.coursebatch.node;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.http.auth.JwtKeys;
import org.coursebatch.http.auth.TokenIssuer;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.coursebatch.persistence.testing.TestDatabases;

/**
 * A node started in this JVM on a real database (H2 files in a temporary directory, or a fresh
 * PostgreSQL database) with a clock the test moves. Restarting gives a new node on the same data.
 */
public final class TestNode implements AutoCloseable {

  static final String JWT_SECRET = "test-secret-of-at-least-thirty-two-bytes!!";

  private final Path dataDir;
  private final DatabaseSettings database; // null: the embedded H2 default under dataDir
  private final MutableClock clock;
  private final Map<String, Object> overrides;
  private ServiceNode node;

  TestNode(Path dataDir, DatabaseSettings database, MutableClock clock, Map<String, Object> overrides) {
    this.dataDir = dataDir;
    this.database = database;
    this.clock = clock;
    this.overrides = overrides;
  }

  static TestNode start(Path dataDir, DatabaseSettings database, MutableClock clock) {
    return start(dataDir, database, clock, Map.of());
  }

  static TestNode start(Path dataDir, DatabaseSettings database, MutableClock clock, Map<String, Object> overrides) {
    TestNode n = new TestNode(dataDir, database, clock, overrides);
    n.startNode();
    return n;
  }

  /**
   * The access roles as a deployment gets them when it configures none (application-test.conf
   * opens batch creation to every user for the functional suites; tests of who may do what undo it).
   */
  static final Map<String, Object> DEFAULT_ROLES = Map.of("course-batch.roles.batch-creators",
      String.join(",", org.coursebatch.core.access.AccessRoles.SUNBIRD.batchCreators()));

  /**
   * The database a node of an {@link OnBothDatabases} run is configured with. On H2 none: the node
   * takes the embedded default in its data directory, as a deployment that configures none does
   * (and keeps its secrets key there). On PostgreSQL a new database, dropped once the run is over.
   */
  static DatabaseSettings databaseFor(TestDatabase run) {
    return run.vendor() == DatabaseSettings.Vendor.H2 ? null : run.fresh();
  }

  /** A node started on a new PostgreSQL database of its own, which {@link #closeAndDropDatabase} drops. */
  static TestNode onFreshPostgres(String dataDirPrefix, Map<String, Object> overrides) throws IOException {
    DatabaseSettings database = TestDatabases.freshPostgres();
    TestNode n = new TestNode(Files.createTempDirectory(dataDirPrefix), database, MutableClock.startingNow(), overrides);
    try {
      n.startNode();
    } catch (RuntimeException e) {
      TestDatabases.dropPostgres(database);
      throw e;
    }
    return n;
  }

  /** Stops the node and drops its database (one of {@link #onFreshPostgres}). */
  void closeAndDropDatabase() {
    try {
      close();
    } finally {
      TestDatabases.dropPostgres(database);
    }
  }

  Config config() {
    Map<String, Object> values = new HashMap<>(overrides);
    values.put("course-batch.data-dir", dataDir.toString());
    values.put("course-batch.auth.jwt-secret", JWT_SECRET);
    values.putIfAbsent("course-batch.auth.max-token-ttl", MAX_TOKEN_TTL);
    if (database != null) {
      values.put("course-batch.db.url", database.url());
      values.put("course-batch.db.user", database.user());
      values.put("course-batch.db.password", database.password());
    }
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseMap(values).withFallback(ConfigFactory.load("application-test.conf"));
  }

  void startNode() {
    node = ServiceNode.start(config(), clock);
  }

  /** Stops the node (coordinated shutdown) and starts a new one on the same data. */
  void restart() {
    node.close();
    startNode();
  }

  ServiceNode node() {
    return node;
  }

  MutableClock clock() {
    return clock;
  }

  ApiClient client() {
    return new ApiClient(baseUrl());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + node.httpPort();
  }

  static String token(String userId, String... roles) {
    return issuer().issue(userId, List.of(roles), TOKEN_TTL, "");
  }

  /** A managed user's token for {@code x-authenticated-for}, valid next to {@code parentId}'s token. */
  static String managedUserToken(String managedUserId, String parentId) {
    return issuer().issueManagedUser(managedUserId, parentId, TOKEN_TTL, "");
  }

  // Long-lived: tests move the node's clock days ahead of the real one. The nodes of the tests
  // take tokens that long (production: 24 h).
  private static final Duration TOKEN_TTL = Duration.ofDays(3650);
  static final String MAX_TOKEN_TTL = TOKEN_TTL.toDays() + "d";
  /**
   * How long before the real now the tests' tokens are issued: a node's clock stands still while
   * the test does not move it, and some tests run it a day behind, yet an iat in the node's
   * future is refused.
   */
  static final Duration ISSUED_BEFORE = Duration.ofDays(30);

  /** A token signed with the nodes' key with exactly {@code claims}: for tokens {@link TokenIssuer} does not mint. */
  static String signedToken(JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static TokenIssuer issuer() {
    return new TokenIssuer(JwtKeys.load(JWT_SECRET, "", Path.of("unused")), "roles",
        Clock.offset(Clock.systemUTC(), ISSUED_BEFORE.negated()));
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
  }
}
