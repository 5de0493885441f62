package org.coursebatch.node.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.coursebatch.node.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit commands on a database no node has used: refused, naming the settings to check. */
class AuditSessionTest {

  @TempDir
  Path emptyDataDir;

  @Test
  void aDatabaseWithoutAJournalIsRefusedNamingTheSettingsToCheck() {
    System.setProperty("course-batch.data-dir", emptyDataDir.toString());
    System.setProperty("course-batch.db.url", "");
    ConfigFactory.invalidateCaches();
    try {
      for (String[] command : new String[][] {{"audit", "verify"}, {"audit", "history", "--batch", "0117"}}) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Main()).setErr(new PrintWriter(err, true)).execute(command);
        assertTrue(exit != 0, () -> String.join(" ", command) + " failed: " + err);
        assertTrue(err.toString().contains("no event journal at jdbc:h2:file:" + emptyDataDir.toAbsolutePath()), err::toString);
        assertTrue(err.toString().contains("BATCH_DB_URL"), err::toString);
      }
    } finally {
      System.clearProperty("course-batch.data-dir");
      System.clearProperty("course-batch.db.url");
      ConfigFactory.invalidateCaches();
    }
  }
}
