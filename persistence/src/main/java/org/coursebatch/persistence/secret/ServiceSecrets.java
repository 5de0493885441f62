package org.coursebatch.persistence.secret;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.SqlParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets every node of the cluster shares, kept in the {@code service_secret} table: the first
 * node that asks for one generates it, every other node (and every later start) reads the same.
 * With a key they are stored sealed, and rows written in plain text are sealed in place (ADR 9).
 */
public final class ServiceSecrets {

  private static final Logger log = LoggerFactory.getLogger(ServiceSecrets.class);

  /** Bytes of a generated secret. */
  static final int SECRET_BYTES = 32;

  /** The SQLState of a unique-key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * Reads of one row before giving up. Each lost race means another node stored or sealed the row
   * in between, which it does once: the next read finds it done.
   */
  private static final int READS = 5;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Optional<SecretsKey> key;

  private ServiceSecrets(Database db, Optional<SecretsKey> key) {
    this.db = db;
    this.key = key;
  }

  /**
   * The stored secrets as a node with {@code key} (none: plain text) uses them. Every stored
   * secret must open with the key, else this throws and the node must not start; with a key,
   * secrets still in plain text are sealed in place. Blocking: meant for start-up. Nodes starting
   * together agree: a row is sealed by whichever comes first, and the others read it sealed.
   */
  public static ServiceSecrets open(Database db, Optional<SecretsKey> key) {
    ServiceSecrets secrets = new ServiceSecrets(db, key);
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(true);
      int sealed = 0;
      for (String name : names(c)) {
        sealed += secrets.settle(c, name).sealedNow() ? 1 : 0;
      }
      if (sealed > 0) {
        log.info("Sealed {} secrets of service_secret that were stored in plain text, with key {}", sealed, key.get().id());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the secrets in service_secret", e);
    }
    return secrets;
  }

  /**
   * The secret called {@code name}, generated (32 random bytes) and stored when there is none yet.
   * Blocking: meant for start-up. Nodes starting together agree: when another node stores the
   * secret first, its bytes are the ones returned.
   */
  public byte[] getOrCreate(String name) {
    if (name == null || name.isEmpty() || name.length() > 100) {
      throw new IllegalArgumentException("A secret's name has 1 to 100 characters: " + name);
    }
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(true);
      if (find(c, name).isEmpty()) {
        byte[] generated = new byte[SECRET_BYTES];
        RANDOM.nextBytes(generated);
        insertIfAbsent(c, name, SecretOpening.toStore(name, generated, key).text());
      }
      // Ours, or the one another node stored between the look-up and the insert.
      return settle(c, name).secret();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read or store secret " + name, e);
    }
  }

  /** A stored secret, and whether this call sealed it. */
  private record Settled(byte[] secret, boolean sealedNow) {}

  /**
   * Reads the stored secret {@code name} and acts on what {@link SecretOpening} decides: the
   * secret, after sealing it in place when it was plain; a refusal throws.
   */
  private Settled settle(Connection c, String name) throws SQLException {
    for (int read = 0; read < READS; read++) {
      String text = find(c, name).orElseThrow(() -> new IllegalStateException("Secret " + name + " was not stored"));
      SecretOpening.Decision decision = SecretOpening.decide(name, StoredSecret.parse(text), key);
      if (decision instanceof SecretOpening.Decision.Use use) {
        return new Settled(use.secret(), false);
      }
      if (decision instanceof SecretOpening.Decision.Refuse refuse) {
        throw new IllegalStateException(refuse.reason());
      }
      SecretOpening.Decision.Seal seal = (SecretOpening.Decision.Seal) decision;
      if (replace(c, name, text, seal.sealed().text())) {
        return new Settled(seal.secret(), true);
      }
      // another node sealed it first: read what it stored
    }
    throw new IllegalStateException("Secret " + name + " kept changing while it was read");
  }

  private static List<String> names(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM service_secret ORDER BY name");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static Optional<String> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM service_secret WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** Stores {@code text} under {@code name} unless a secret of that name is stored already. */
  static void insertIfAbsent(Connection c, String name, String text) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO service_secret (name, secret, created_at) VALUES (?, ?, ?)")) {
      SqlParameters.bindAll(ps, name, text, System.currentTimeMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      // another node stored it first
    }
  }

  /**
   * Compare-and-set: {@code name}'s text becomes {@code replacement} only if it still is
   * {@code expected}. Of nodes sealing one row at once, one succeeds; the others update nothing.
   */
  private static boolean replace(Connection c, String name, String expected, String replacement) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE service_secret SET secret = ? WHERE name = ? AND secret = ?")) {
      SqlParameters.bindAll(ps, replacement, name, expected);
      return ps.executeUpdate() == 1;
    }
  }
}
