package org.coursebatch.persistence.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.coursebatch.core.journal.ChainedEvent;
import org.coursebatch.core.journal.JournalHash;

/**
 * Rows of {@code event_journal} written straight with SQL, as the journal would store them: the
 * first {@code unchained} events bare (serializer 7301, from before the hash chain), the rest with
 * their chain starting at the entity's genesis value (serializer 7302, the event's JSON with
 * {@code prevHash} and {@code hash} appended). Events are given as their JSON.
 */
public final class JournalRows {

  private static final int BARE_SERIALIZER_ID = 7301;

  private JournalRows() {}

  public static void insert(DataSource dataSource, String persistenceId, int unchained, List<String> eventJson)
      throws SQLException {
    String prev = JournalHash.genesis(persistenceId);
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\","
             + " \"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_ser_id\", \"event_ser_manifest\","
             + " \"event_payload\") VALUES (?, ?, FALSE, 'test', 0, '', ?, '#1', ?)")) {
      for (int i = 0; i < eventJson.size(); i++) {
        String json = eventJson.get(i);
        int serializer = BARE_SERIALIZER_ID;
        if (i >= unchained) {
          String hash = JournalHash.chainJson(prev, json.getBytes(StandardCharsets.UTF_8));
          json = json.substring(0, json.lastIndexOf('}')) + ",\"" + JournalHash.PREV_HASH + "\":\"" + prev + "\",\""
              + JournalHash.HASH + "\":\"" + hash + "\"}";
          prev = hash;
          serializer = ChainedEvent.SERIALIZER_ID;
        }
        ps.setString(1, persistenceId);
        ps.setLong(2, i + 1);
        ps.setInt(3, serializer);
        ps.setBytes(4, json.getBytes(StandardCharsets.UTF_8));
        ps.executeUpdate();
      }
    }
  }

  /** The JSON of a small event ({@code BatchReopened}) of a batch, told apart by its actor. */
  public static String reopened(String batchId, String actor) {
    return "{\"type\":\"BatchReopened\",\"batchId\":\"" + batchId + "\",\"actor\":\"" + actor + "\",\"at\":\"2030-03-10T10:00:00Z\"}";
  }
}
