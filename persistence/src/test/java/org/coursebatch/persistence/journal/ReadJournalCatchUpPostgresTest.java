package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.config.ReadJournalConfig;
import akka.persistence.jdbc.db.SlickDatabase;
import akka.persistence.jdbc.query.dao.DefaultReadJournalDao;
import akka.persistence.jdbc.query.dao.ReadJournalDao;
import akka.persistence.jdbc.query.scaladsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.serialization.SerializationExtension;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.coursebatch.persistence.db.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.util.Try;

/**
 * The read journal's poll on PostgreSQL is {@link TagRangeReadJournalDao}'s (ADR 12): it returns
 * what the plugin's poll returns, and a poll far behind the newest event reads the rows it
 * returns, whatever the statistics, where the plugin's reads the whole tag table.
 */
class ReadJournalCatchUpPostgresTest {

  /** The most events one poll returns (the plugin's {@code max-buffer-size}). */
  static final int LIMIT = 500;
  /** Tags the appended events carry, one each, round robin: the service's 4 enrolment and 4 batch tags. */
  static final int TAGS = 8;
  /** The serializer of the appended events' payloads: Akka's byte arrays, so the rows deserialize. */
  static final int BYTES_SERIALIZER = 4;

  static ReadJournalOnPostgres fixture;
  static Database db;
  static ActorTestKit plugins;

  @BeforeAll
  static void start() {
    fixture = new ReadJournalOnPostgres("read-journal-catch-up");
    db = fixture.db;
    plugins = fixture.plugins;
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /**
   * Same envelopes as the plugin's DAO, poll by poll, for every tag: from the start, from the
   * middle, up to an older maximum, in pages smaller than a tag's events; with events of two tags,
   * and deleted events left out.
   */
  @Test
  void thePollReturnsWhatThePluginsPollReturns() throws Exception {
    long first = newest() + 1;
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
          + " adapter_manifest, event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest,"
          + " meta_payload)"
          + " SELECT 'Enrollment|same-' || (g % 7), g, 'writer-' || (g % 3), 1000 + g, CASE WHEN g % 5 = 0 THEN 'A' ELSE '' END,"
          + BYTES_SERIALIZER + ", '', convert_to('event ' || g, 'UTF8'),"
          + " CASE WHEN g % 4 = 0 THEN " + BYTES_SERIALIZER + " END, CASE WHEN g % 4 = 0 THEN '' END,"
          + " CASE WHEN g % 4 = 0 THEN convert_to('meta ' || g, 'UTF8') END"
          + " FROM generate_series(1, 120) g");
      // every event one tag of three, every third also "all"; some events deleted
      st.executeUpdate("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'same-' || (ordering % 3)"
          + " FROM event_journal WHERE ordering >= " + first);
      st.executeUpdate("INSERT INTO event_tag (event_id, tag) SELECT ordering, 'same-all'"
          + " FROM event_journal WHERE ordering >= " + first + " AND ordering % 3 = 0");
      assertEquals(12, st.executeUpdate("UPDATE event_journal SET deleted = true WHERE ordering >= " + first
          + " AND ordering % 10 = 0"));
    }
    long last = newest();
    ReadJournalDao plugin = dao(DefaultReadJournalDao.class);
    ReadJournalDao ours = dao(TagRangeReadJournalDao.class);
    long middle = first + 50;
    for (String tag : new String[] {"same-0", "same-1", "same-2", "same-all", "none"}) {
      for (long[] poll : new long[][] {{0, last, LIMIT}, {middle, last, LIMIT}, {first - 1, middle, LIMIT},
          {first + 3, last, 7}, {middle, middle + 1, LIMIT}, {last, last, LIMIT}}) {
        List<String> expected = poll(plugin, tag, poll[0], poll[1], poll[2]);
        assertEquals(expected, poll(ours, tag, poll[0], poll[1], poll[2]), tag + " " + poll[0] + ".." + poll[1]);
        if (tag.equals("same-all") && poll[2] == LIMIT && poll[0] == 0) {
          assertEquals(40 - 4, expected.size(), "every third event, less those deleted: " + expected);
        }
      }
      // paged as the read journal pages: from the last ordering returned
      List<String> pages = new ArrayList<>();
      long from = 0;
      List<String> page;
      do {
        page = poll(ours, tag, from, last, 5);
        pages.addAll(page);
        if (!page.isEmpty()) {
          from = Long.parseLong(page.get(page.size() - 1).split(" ")[0]);
        }
      } while (page.size() == 5);
      assertEquals(poll(plugin, tag, 0, last, LIMIT), pages, tag + " in pages of 5");
    }
  }

  /** The read journal polls through our DAO on PostgreSQL, and its envelopes carry the journal's rows. */
  @Test
  void theReadJournalPollsThroughTheTagRangeDao() throws Exception {
    JdbcReadJournal readJournal =
        PersistenceQuery.get(plugins.system().classicSystem()).readJournalFor("jdbc-read-journal");
    assertInstanceOf(TagRangeReadJournalDao.class, readJournal.readJournalDao());
    long first = newest() + 1;
    append(10, "envelope-");
    List<EventEnvelope> envelopes = readJournal.currentEventsByTag("envelope-1", new Sequence(first - 1)).asJava()
        .runWith(Sink.seq(), Materializer.matFromSystem(plugins.system())).toCompletableFuture().get();
    List<Long> tagged = java.util.stream.LongStream.range(first, first + 10).filter(o -> o % TAGS == 1).boxed().toList();
    assertEquals(tagged, envelopes.stream().map(e -> ((Sequence) e.offset()).value()).toList());
    assertEquals("Enrollment|catch-up-" + tagged.get(0), envelopes.get(0).persistenceId());
  }

  /**
   * A poll from the middle of a journal that has grown 100-fold since it was last analyzed reads
   * the tag's rows it returns, and the journal's rows of the range up to the last of them: with the
   * plugin's statement PostgreSQL hashes every row of event_tag (20,200) for the same 500 events.
   */
  @Test
  void aPollFarBehindReadsWhatItReturnsOnAJournalGrownWithoutAnalyze() throws Exception {
    append(200, "enrollment-");
    try (Connection admin = db.dataSource().getConnection(); Statement st = admin.createStatement()) {
      st.execute("ANALYZE event_journal");
      st.execute("ANALYZE event_tag");
    }
    append(20_000, "enrollment-"); // nobody analyzes: autovacuum is off, or has not come round yet
    long max = newest();
    long middle = max / 2;
    try (Connection poller = readJournalConnection();
         PreparedStatement explain = poller.prepareStatement(
             "EXPLAIN (ANALYZE, FORMAT JSON) " + TagRangeReadJournalDao.EVENTS_BY_TAG)) {
      TagRangeReadJournalDao.bind(explain, "enrollment-1", middle, max, LIMIT);
      JsonNode plan;
      try (ResultSet rs = explain.executeQuery()) {
        assertTrue(rs.next());
        plan = new ObjectMapper().readTree(rs.getString(1));
      }
      assertEquals(LIMIT, plan.get(0).path("Plan").path("Actual Rows").asLong(), plan.toPrettyString());
      long tagRows = ReadJournalOnPostgres.rowsRead(plan, "event_tag");
      long journalRows = ReadJournalOnPostgres.rowsRead(plan, "event_journal");
      assertTrue(tagRows <= LIMIT, "the poll read " + tagRows + " rows of event_tag for " + LIMIT + " events: "
          + plan.toPrettyString());
      assertTrue(journalRows <= (long) TAGS * LIMIT, "the poll read " + journalRows + " rows of event_journal for "
          + LIMIT + " events of one tag in " + TAGS + ": " + plan.toPrettyString());
    }
  }

  private static Connection readJournalConnection() throws SQLException {
    Connection c = pluginDatabase().database().source().createConnection();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW plan_cache_mode")) {
      assertTrue(rs.next());
      assertEquals("force_custom_plan", rs.getString(1));
    }
    return c;
  }

  /** The plugin's DAO of {@code type} on the read journal's database, as the read journal builds it. */
  private static ReadJournalDao dao(Class<? extends ReadJournalDao> type) throws Exception {
    SlickDatabase slick = pluginDatabase();
    return type.getConstructor(slick.jdbc.JdbcBackend.DatabaseDef.class, slick.jdbc.JdbcProfile.class,
            ReadJournalConfig.class, akka.serialization.Serialization.class, scala.concurrent.ExecutionContext.class,
            Materializer.class)
        .newInstance(slick.database(), slick.profile(),
            new ReadJournalConfig(plugins.system().settings().config().getConfig("jdbc-read-journal")),
            SerializationExtension.get(plugins.system()), plugins.system().executionContext(),
            Materializer.matFromSystem(plugins.system()));
  }

  private static SlickDatabase pluginDatabase() {
    return fixture.pluginDatabase("jdbc-read-journal");
  }

  /** One poll, each event as "ordering persistence-id sequence-nr ...": everything the row carries. */
  private static List<String> poll(ReadJournalDao dao, String tag, long offset, long maxOffset, long max)
      throws Exception {
    List<Try<Tuple3<PersistentRepr, Set<String>, Object>>> rows =
        dao.eventsByTag(tag, offset, maxOffset, max).asJava()
            .runWith(Sink.seq(), Materializer.matFromSystem(plugins.system())).toCompletableFuture().get();
    List<String> events = new ArrayList<>();
    for (Try<Tuple3<PersistentRepr, Set<String>, Object>> row : rows) {
      Tuple3<PersistentRepr, Set<String>, Object> event = row.get();
      PersistentRepr repr = event._1();
      events.add(event._3() + " " + repr.persistenceId() + " " + repr.sequenceNr() + " tags=" + event._2()
          + " writer=" + repr.writerUuid() + " at=" + repr.timestamp() + " manifest=" + repr.manifest()
          + " deleted=" + repr.deleted() + " payload=" + text(repr.payload()) + " meta=" + repr.metadata().map(
              m -> m instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : m));
    }
    return events;
  }

  private static String text(Object payload) {
    return payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(payload);
  }

  private static long newest() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT coalesce(max(ordering), 0) FROM event_journal")) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /** Appends {@code n} events, each tagged {@code prefix} and one of 0 to 7 by its ordering, round robin. */
  private static void append(int n, String prefix) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
      long base = newest();
      st.executeUpdate("INSERT INTO event_journal (persistence_id, sequence_number, writer, write_timestamp,"
          + " event_ser_id, event_ser_manifest, event_payload)"
          + " SELECT 'Enrollment|catch-up-' || (" + base + " + g), 1, 'test', 0, " + BYTES_SERIALIZER
          + ", '', convert_to(repeat('x', 100), 'UTF8') FROM generate_series(1, " + n + ") g");
      st.executeUpdate("INSERT INTO event_tag (event_id, tag) SELECT ordering, '" + prefix + "' || (ordering % "
          + TAGS + ") FROM event_journal WHERE ordering > " + base);
    }
  }
}
