package org.coursebatch.persistence.db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;

/**
 * Secrets every node of the cluster shares, kept in the {@code service_secret} table: the first
 * node that asks for one generates it, every other node (and every later start) reads the same.
 */
public final class ServiceSecrets {

  /** Bytes of a generated secret. */
  static final int SECRET_BYTES = 32;

  /** The SQLState of a unique-key violation, the same on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ServiceSecrets() {}

  /**
   * The secret called {@code name}, generated (32 random bytes) and stored when there is none yet.
   * Blocking: meant for start-up. Nodes starting together agree: when another node stores the
   * secret first, its bytes are the ones returned.
   */
  public static byte[] getOrCreate(Database db, String name) {
    if (name == null || name.isEmpty() || name.length() > 100) {
      throw new IllegalArgumentException("A secret's name has 1 to 100 characters: " + name);
    }
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(true);
      Optional<byte[]> stored = find(c, name);
      if (stored.isPresent()) {
        return stored.get();
      }
      byte[] generated = new byte[SECRET_BYTES];
      RANDOM.nextBytes(generated);
      insertIfAbsent(c, name, Base64.getEncoder().encodeToString(generated));
      // Ours, or the one another node stored between the look-up and the insert.
      return find(c, name).orElseThrow(() -> new IllegalStateException("Secret " + name + " was not stored"));
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read or store secret " + name, e);
    }
  }

  private static Optional<byte[]> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM service_secret WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Base64.getDecoder().decode(rs.getString(1))) : Optional.empty();
      }
    }
  }

  /** Stores {@code secret} under {@code name} unless a secret of that name is stored already. */
  static void insertIfAbsent(Connection c, String name, String secret) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO service_secret (name, secret, created_at) VALUES (?, ?, ?)")) {
      SqlParameters.bindAll(ps, name, secret, System.currentTimeMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      // another node stored it first
    }
  }
}
