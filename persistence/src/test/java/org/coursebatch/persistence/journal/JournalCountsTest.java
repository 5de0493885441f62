package org.coursebatch.persistence.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.coursebatch.persistence.db.Database;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalVerifier.Scope;
import org.coursebatch.persistence.testing.JournalRows;
import org.coursebatch.persistence.testing.OnBothDatabases;
import org.coursebatch.persistence.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rows counted before a read of the journal: an entity, a prefix (not its neighbours in the
 * index, nor what its LIKE wildcards would match), the whole journal; with and without the rows
 * marked deleted.
 */
@OnBothDatabases
class JournalCountsTest {

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Contract {
    DatabaseSettings settings;
    Database db;
    JournalCounts counts;

    @BeforeAll
    void start(TestDatabase database) throws Exception {
      settings = database.fresh();
      db = Database.open(settings);
      db.migrate();
      insert("CourseBatch|B", 3);
      insert("Enrollment|B:u1", 2);
      insert("Enrollment|B:u2", 4);
      insert("Enrollment|B;", 1); // the first id after the prefix Enrollment|B:
      insert("Enrollment|B", 1);
      insert("Enrollment|BB:u1", 5);
      insert("Enrollment|B_:u1", 1);
      insert("Enrollment|BX:u1", 1); // what B_ would match as a wildcard
      try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE \"event_journal\" SET \"deleted\" = TRUE"
            + " WHERE \"persistence_id\" = 'Enrollment|B:u2' AND \"sequence_number\" = 4");
      }
      counts = new JournalCounts(db.dataSource(), settings.vendor());
    }

    private void insert(String persistenceId, int events) throws Exception {
      JournalRows.insert(db.dataSource(), persistenceId, 0,
          java.util.stream.IntStream.range(0, events).mapToObj(i -> JournalRows.reopened("B", "a" + i)).toList());
    }

    @AfterAll
    void stop() {
      db.close();
    }

    @Test
    void anEntityAPrefixAndTheWholeJournal() throws Exception {
      assertEquals(3, counts.rows(List.of(Scope.entity("CourseBatch|B"))));
      assertEquals(0, counts.rows(List.of(Scope.entity("CourseBatch|nope"))));
      assertEquals(6, counts.rows(List.of(Scope.prefix("Enrollment|B:"))));
      assertEquals(1, counts.rows(List.of(Scope.prefix("Enrollment|B_:"))));
      assertEquals(9, counts.rows(List.of(Scope.entity("CourseBatch|B"), Scope.prefix("Enrollment|B:"))));
      assertEquals(18, counts.rows(List.of(Scope.all())));
    }

    @Test
    void eventsLeaveOutRowsMarkedDeleted() throws Exception {
      assertEquals(5, counts.events(List.of(Scope.prefix("Enrollment|B:"))));
      assertEquals(3, counts.events(List.of(Scope.entity("CourseBatch|B"))));
      assertEquals(17, counts.events(List.of(Scope.all())));
    }
  }

  @Test
  void theFirstStringAfterAPrefix() {
    assertEquals("Enrollment|B;", JournalCounts.above("Enrollment|B:"));
    assertNull(JournalCounts.above(""));
    assertNull(JournalCounts.above("a\uffff"));
  }
}
