package org.coursebatch.persistence.journal;

import akka.NotUsed;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.AkkaSerialization;
import akka.persistence.jdbc.config.ReadJournalConfig;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.persistence.jdbc.query.dao.DefaultReadJournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.collection.immutable.Set$;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * The read journal's DAO on PostgreSQL: the plugin's, but for the events-by-tag poll, whose range
 * it also puts on {@code event_tag.event_id} (ADR 12). The plugin's statement bounds only
 * {@code event_journal.ordering}, which PostgreSQL does not carry over to {@code event_tag}: a poll
 * far behind the newest event, planned with stale statistics, hashed every row of the tag table.
 * Bounded on both sides, the poll reads the tag's rows from the offset in {@code (tag, event_id)}
 * (V14) and the journal's rows from the offset up to the last of them: its cost follows the rows
 * it returns.
 *
 * <p>Same rows in the same order as the plugin's poll: the tag's events after {@code offset} up to
 * {@code maxOffset}, deleted ones left out before the limit, by ordering; and, as the plugin does,
 * no tags on them (the read journal never reads them).
 */
public class TagRangeReadJournalDao extends DefaultReadJournalDao {

  /** The poll. The journal's columns in the order of {@link JournalAkkaSerializationRow}'s fields. */
  static final String EVENTS_BY_TAG = "SELECT j.ordering, j.deleted, j.persistence_id, j.sequence_number, j.writer,"
      + " j.write_timestamp, j.adapter_manifest, j.event_payload, j.event_ser_id, j.event_ser_manifest,"
      + " j.meta_payload, j.meta_ser_id, j.meta_ser_manifest"
      + " FROM event_tag t JOIN event_journal j ON j.ordering = t.event_id"
      // The range on both tables: on event_tag for its scan, on event_journal so that a merge join
      // starts its walk of the journal at the offset and not at the journal's first row.
      + " WHERE t.tag = ? AND t.event_id > ? AND t.event_id <= ? AND j.ordering > ? AND j.ordering <= ?"
      + " AND j.deleted = false"
      + " ORDER BY t.event_id LIMIT ?";

  private static final Set<String> NO_TAGS = Set$.MODULE$.empty();

  private final Serialization serialization;

  /** The constructor the read journal looks up for {@code jdbc-read-journal.dao}. */
  public TagRangeReadJournalDao(JdbcBackend.DatabaseDef db, JdbcProfile profile, ReadJournalConfig readJournalConfig,
      Serialization serialization, ExecutionContext ec, Materializer mat) {
    super(db, profile, readJournalConfig, serialization, ec, mat);
    this.serialization = serialization;
  }

  /** One poll: at most {@code max} rows, read on the read journal's pool and executor, then deserialized. */
  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(String tag, long offset,
      long maxOffset, long max) {
    Future<List<JournalAkkaSerializationRow>> page =
        SlickActions.run(db(), connection -> read(connection, tag, offset, maxOffset, max));
    return akka.stream.javadsl.Source.completionStage(FutureConverters.asJava(page))
        .mapConcat(rows -> rows)
        .map(row -> AkkaSerialization.fromRow(serialization, row)
            .map(event -> new Tuple3<PersistentRepr, Set<String>, Object>(event._1(), NO_TAGS, event._2())))
        .asScala();
  }

  static List<JournalAkkaSerializationRow> read(Connection connection, String tag, long offset, long maxOffset,
      long max) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(EVENTS_BY_TAG)) {
      bind(st, tag, offset, maxOffset, max);
      List<JournalAkkaSerializationRow> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(new JournalAkkaSerializationRow(rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4),
              rs.getString(5), rs.getLong(6), rs.getString(7), rs.getBytes(8), rs.getInt(9), rs.getString(10),
              Option.apply(rs.getBytes(11)), Option.apply(rs.getObject(12, Integer.class)),
              Option.apply(rs.getString(13))));
        }
      }
      return rows;
    }
  }

  /** Sets {@link #EVENTS_BY_TAG}'s parameters: {@code tag}'s events after {@code offset} up to {@code maxOffset}. */
  static void bind(PreparedStatement st, String tag, long offset, long maxOffset, long max) throws SQLException {
    st.setString(1, tag);
    st.setLong(2, offset);
    st.setLong(3, maxOffset);
    st.setLong(4, offset);
    st.setLong(5, maxOffset);
    st.setLong(6, max);
  }
}
