package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.coursebatch.core.batch.BatchCommand;
import org.coursebatch.core.batch.BatchCommand.ClaimSeat;
import org.coursebatch.core.batch.BatchCommand.CreateBatch;
import org.coursebatch.core.batch.BatchReply;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.batch.NewBatch;
import org.coursebatch.core.batch.SeatReply;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.journal.EntityChainCheck.Finding;
import org.coursebatch.core.journal.EntityChainCheck.Head;
import org.coursebatch.core.journal.EntityChainCheck.Kind;
import org.coursebatch.core.journal.JournalHash;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalVerifier.Scope;
import org.coursebatch.persistence.journal.JournalVerifier.Summary;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.ReadModels;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The verifier on journals that real batch entities wrote through the JDBC journal, then tampered
 * with in SQL as someone with access to the database could: a changed byte, a deleted row, two
 * swapped rows, rows renumbered over a gap, a deleted tail, a stripped chain. Each entity gets its
 * own batch, so each test sees only what it did to its own rows.
 */
@OnBothDatabases
class JournalVerifierTest {

  private static final Instant T0 = Instant.parse("2030-03-10T10:00:00Z");
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    ActorTestKit testKit;
    JournalVerifier verifier;

    @BeforeAll
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      testKit = ReadModels.singleNodeCluster("verifier", settings);
      verifier = new JournalVerifier(db.dataSource(), settings.vendor());
    }

    @AfterAll
    void stop() {
      if (testKit != null) {
        testKit.shutdownTestKit();
      }
      db.close();
    }

    /** A batch whose entity wrote {@code events} events (a creation and seat claims); its persistence id. */
    String batchWithEvents(int events) throws Exception {
      String batchId = "0155" + IDS.incrementAndGet();
      ActorRef<BatchCommand> batch = testKit.spawn(CourseBatchEntity.create(batchId, new MutableClock(T0), "UTC"));
      var nb = new NewBatch("do_course_1", "Batch " + batchId, null, null, EnrollmentType.OPEN, LocalDate.of(2030, 3, 10),
          LocalDate.of(2030, 3, 19), null, List.of(), List.of(), 1000);
      assertInstanceOf(BatchReply.Accepted.class, this.<BatchReply>ask(batch, r -> new CreateBatch(nb, Caller.of("user-creator"), r)));
      for (int i = 1; i < events; i++) {
        String user = "learner-" + i;
        assertInstanceOf(SeatReply.Granted.class, this.<SeatReply>ask(batch, r -> new ClaimSeat(user, user, r)));
      }
      testKit.stop(batch);
      return CourseBatchEntity.ENTITY_KEY.name() + "|" + batchId;
    }

    private <R> R ask(ActorRef<BatchCommand> ref, Function<ActorRef<R>, BatchCommand> command) throws Exception {
      return AskPattern.ask(ref, command::apply, Duration.ofSeconds(10), testKit.system().scheduler())
          .toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- SQL, as a tamperer would

    byte[] payload(String pid, long seq) throws Exception {
      try (Connection c = db.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT \"event_payload\" FROM \"event_journal\""
               + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?")) {
        ps.setString(1, pid);
        ps.setLong(2, seq);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), pid + " " + seq);
          return rs.getBytes(1);
        }
      }
    }

    void update(String sql, Object... params) throws Exception {
      try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        assertTrue(ps.executeUpdate() > 0, sql);
      }
    }

    void setPayload(String pid, long seq, byte[] payload) throws Exception {
      update("UPDATE \"event_journal\" SET \"event_payload\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
          payload, pid, seq);
    }

    void delete(String pid, long seq) throws Exception {
      update("DELETE FROM \"event_journal\" WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?", pid, seq);
    }

    void swapPayloads(String pid, long a, long b) throws Exception {
      byte[] first = payload(pid, a);
      byte[] second = payload(pid, b);
      setPayload(pid, a, second);
      setPayload(pid, b, first);
    }

    /** Deletes row {@code seq} and moves the later rows down one, so that no gap shows. */
    void deleteAndRenumber(String pid, long seq, long last) throws Exception {
      delete(pid, seq);
      for (long s = seq + 1; s <= last; s++) {
        update("UPDATE \"event_journal\" SET \"sequence_number\" = ? WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
            s - 1, pid, s);
      }
    }

    // ---------------------------------------------------------------- verifying

    record Run(Summary summary, List<Finding> findings) {
      List<String> failures() {
        return findings.stream().filter(f -> f.kind().failure()).map(f -> f.persistenceId() + " " + f.sequenceNr() + " " + f.kind())
            .toList();
      }
    }

    Run verify(Scope scope) throws Exception {
      return verify(scope, Map.of());
    }

    Run verify(Scope scope, Map<String, Head> savedHeads) throws Exception {
      List<Finding> findings = new ArrayList<>();
      Summary summary = verifier.verify(List.of(scope), savedHeads, findings::add);
      return new Run(summary, findings);
    }

    /** The heads a verification of the entity reports, as one would save them. */
    Map<String, Head> heads(String pid) throws Exception {
      Map<String, Head> heads = new HashMap<>();
      verifier.verify(List.of(Scope.entity(pid)), Map.of(), new JournalVerifier.Listener() {
        @Override
        public void finding(Finding finding) {}

        @Override
        public void head(String persistenceId, Head head) {
          heads.put(persistenceId, head);
        }
      });
      return heads;
    }

    /** Rewrites the entity's rows from {@code seq} on with every hash recomputed, as someone who knows the scheme could. */
    void rewriteWithHashes(String pid, long seq, long last, String from, String to) throws Exception {
      String prev = null;
      for (long s = seq; s <= last; s++) {
        ObjectNode row = (ObjectNode) JSON.readTree(payload(pid, s));
        String storedPrev = row.remove(JournalHash.PREV_HASH).asText();
        row.remove(JournalHash.HASH);
        String json = JSON.writeValueAsString(row);
        if (s == seq) {
          json = json.replace(from, to);
          prev = storedPrev;
        }
        String hash = JournalHash.chainJson(prev, json.getBytes(StandardCharsets.UTF_8));
        setPayload(pid, s, (json.substring(0, json.length() - 1) + ",\"prevHash\":\"" + prev + "\",\"hash\":\"" + hash + "\"}")
            .getBytes(StandardCharsets.UTF_8));
        prev = hash;
      }
    }

    @Test
    void anUntouchedJournalVerifiesClean() throws Exception {
      String a = batchWithEvents(10);
      String b = batchWithEvents(3);
      Run run = verify(Scope.entity(a));
      assertEquals(List.of(), run.findings());
      assertEquals(1, run.summary().entities());
      assertEquals(10, run.summary().events());
      assertTrue(run.summary().intact());
      Run prefix = verify(Scope.prefix(b.substring(0, b.length() - 1)));
      assertTrue(prefix.summary().entities() >= 1, "every batch whose id starts so");
      assertEquals(List.of(), verify(Scope.entity(b)).findings());
    }

    @Test
    void aChangedByteIsAlteredAndOnlyThatRow() throws Exception {
      String pid = batchWithEvents(6);
      String json = new String(payload(pid, 1), StandardCharsets.UTF_8);
      String batchName = "Batch " + pid.substring(pid.indexOf('|') + 1);
      assertTrue(json.contains("\"" + batchName + "\""), json);
      setPayload(pid, 1, json.replace("\"" + batchName + "\"", "\"" + batchName.replace("Batch", "Batcx") + "\"")
          .getBytes(StandardCharsets.UTF_8));
      Run run = verify(Scope.entity(pid));
      assertEquals(List.of(pid + " 1 ALTERED"), run.failures());
      assertFalse(run.summary().intact());
      assertEquals(1L, run.summary().findings().get(Kind.ALTERED));
    }

    @Test
    void aDeletedMiddleRowIsDeleted() throws Exception {
      String pid = batchWithEvents(8);
      delete(pid, 5);
      assertEquals(List.of(pid + " 5 DELETED"), verify(Scope.entity(pid)).failures());
    }

    @Test
    void swappedRowsAreReordered() throws Exception {
      String pid = batchWithEvents(8);
      swapPayloads(pid, 3, 4);
      assertEquals(List.of(pid + " 3 REORDERED", pid + " 4 REORDERED"), verify(Scope.entity(pid)).failures());
      String far = batchWithEvents(9);
      swapPayloads(far, 2, 7);
      assertEquals(List.of(far + " 2 REORDERED", far + " 7 REORDERED"), verify(Scope.entity(far)).failures());
      String first = batchWithEvents(4);
      swapPayloads(first, 1, 2);
      assertEquals(List.of(first + " 1 REORDERED", first + " 2 REORDERED"), verify(Scope.entity(first)).failures());
    }

    @Test
    void aDeletedRowHiddenByRenumberingIsDeleted() throws Exception {
      String pid = batchWithEvents(9);
      deleteAndRenumber(pid, 4, 9);
      assertEquals(List.of(pid + " 4 DELETED"), verify(Scope.entity(pid)).failures());
    }

    @Test
    void everyTamperingInOneJournalIsReportedWithItsRow() throws Exception {
      String altered = batchWithEvents(5);
      String deleted = batchWithEvents(5);
      String swapped = batchWithEvents(5);
      String clean = batchWithEvents(5);
      String json = new String(payload(altered, 3), StandardCharsets.UTF_8);
      setPayload(altered, 3, json.replace("learner-2", "learner-9").getBytes(StandardCharsets.UTF_8));
      delete(deleted, 2);
      swapPayloads(swapped, 4, 5);
      List<Finding> all = verify(Scope.all()).findings();
      List<String> mine = all.stream().filter(f -> List.of(altered, deleted, swapped, clean).contains(f.persistenceId()))
          .map(f -> f.persistenceId() + " " + f.sequenceNr() + " " + f.kind()).toList();
      assertEquals(List.of(altered + " 3 ALTERED", deleted + " 2 DELETED", swapped + " 4 REORDERED",
          swapped + " 5 REORDERED"), mine);
      Finding f = all.stream().filter(x -> x.persistenceId().equals(altered)).findFirst().orElseThrow();
      assertTrue(f.ordering() != null && f.ordering() > 0, "the row's ordering is told");
    }

    /** A chain alone cannot show a deleted tail; a snapshot taken after it can. */
    @Test
    void aDeletedTailIsSeenBesideASnapshot() throws Exception {
      String pid = batchWithEvents(104); // a snapshot at 100
      for (long s = 100; s <= 104; s++) {
        delete(pid, s);
      }
      Run run = verify(Scope.entity(pid));
      assertEquals(List.of(pid + " 100 DELETED"), run.failures());
      assertTrue(run.findings().get(0).detail().contains("snapshot"), run.findings().toString());
    }

    @Test
    void savedHeadsShowADeletedTailAndARewrittenChain() throws Exception {
      String tail = batchWithEvents(6);
      Map<String, Head> tailHeads = heads(tail);
      assertEquals(6, tailHeads.get(tail).sequenceNr());
      delete(tail, 6);
      delete(tail, 5);
      assertEquals(List.of(), verify(Scope.entity(tail)).failures(), "the chain alone cannot tell");
      Run tailRun = verify(Scope.entity(tail), tailHeads);
      assertEquals(List.of(tail + " 5 DELETED"), tailRun.failures());
      assertTrue(tailRun.findings().get(0).detail().contains("rows 5..6"), tailRun.findings().toString());

      String rewritten = batchWithEvents(5);
      Map<String, Head> rewrittenHeads = heads(rewritten);
      rewriteWithHashes(rewritten, 2, 5, "learner-1", "learner-7");
      assertTrue(new String(payload(rewritten, 2), StandardCharsets.UTF_8).contains("learner-7"));
      assertEquals(List.of(), verify(Scope.entity(rewritten)).failures(), "a rewrite with every hash recomputed verifies");
      assertEquals(List.of(rewritten + " 5 ALTERED"), verify(Scope.entity(rewritten), rewrittenHeads).failures());

      String gone = batchWithEvents(2);
      Map<String, Head> goneHeads = heads(gone);
      delete(gone, 1);
      delete(gone, 2);
      assertEquals(List.of(gone + " 1 DELETED"), verify(Scope.entity(gone), goneHeads).failures());
      assertEquals(List.of(), verify(Scope.entity(batchWithEvents(1)), goneHeads).failures(), "other scopes");
    }

    @Test
    void aReadModelAheadOfTheJournalShowsADeletedTail() throws Exception {
      batchWithEvents(2);
      update("INSERT INTO \"akka_projection_offset_store\" (\"projection_name\", \"projection_key\", \"current_offset\","
          + " \"manifest\", \"mergeable\", \"last_updated\") VALUES ('some-read-model', 'tag-9', '999999999', 'SEQ', FALSE, 0)");
      try {
        List<Finding> found = verify(Scope.all()).findings().stream().filter(f -> f.persistenceId().isEmpty()).toList();
        assertEquals(1, found.size(), found::toString);
        assertEquals(Kind.DELETED, found.get(0).kind());
        assertTrue(found.get(0).detail().contains("some-read-model"), found.get(0).detail());
      } finally {
        update("DELETE FROM \"akka_projection_offset_store\" WHERE \"projection_name\" = 'some-read-model'");
      }
    }

    @Test
    void aStrippedChainIsAltered() throws Exception {
      String pid = batchWithEvents(4);
      String json = new String(payload(pid, 2), StandardCharsets.UTF_8).replaceFirst(",\"prevHash\".*}$", "}");
      setPayload(pid, 2, json.getBytes(StandardCharsets.UTF_8));
      update("UPDATE \"event_journal\" SET \"event_ser_id\" = 7301 WHERE \"persistence_id\" = ? AND \"sequence_number\" = 2", pid);
      assertEquals(List.of(pid + " 2 ALTERED"), verify(Scope.entity(pid)).failures());
    }

    /** Rows from before the chain are not verifiable, not a failure; the chain that follows them is checked. */
    @Test
    void rowsFromBeforeTheChainAreUnchained() throws Exception {
      String pid = "CourseBatch|legacy-" + IDS.incrementAndGet();
      JournalRows.insert(db.dataSource(), pid, 2,
          List.of(JournalRows.reopened("L", "u1"), JournalRows.reopened("L", "u2"), JournalRows.reopened("L", "u3"),
              JournalRows.reopened("L", "u4")));
      Run run = verify(Scope.entity(pid));
      assertEquals(List.of(), run.failures());
      assertEquals(1, run.findings().size(), run.findings()::toString);
      assertEquals(Kind.UNCHAINED, run.findings().get(0).kind());
      assertEquals(1, run.findings().get(0).sequenceNr());
      assertEquals(2, run.summary().unchainedEvents());
      assertEquals(Map.of(Kind.ALTERED, 0L, Kind.DELETED, 0L, Kind.REORDERED, 0L, Kind.UNCHAINED, 1L), run.summary().findings());
    }
  }
}
