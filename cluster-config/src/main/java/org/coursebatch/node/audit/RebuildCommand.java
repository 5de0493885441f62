package org.coursebatch.node.audit;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.coursebatch.persistence.projection.JournalReadModels;
import org.coursebatch.persistence.projection.ReadModel;
import org.coursebatch.persistence.projection.ReadModelRebuild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit rebuild [--yes]}: rebuilds the read models from the journal alone (see
 * {@link ReadModelRebuild}). Says what it will do and the rows of each derived table; with
 * {@code --yes} it rebuilds, with progress on stderr, and prints the rows before and after.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
    description = {"Rebuilds the read models from the journal alone: empties the tables derived from the journal and"
        + " the projections' offsets, then runs every journal event through the projections again.",
        "Every node on the database must be stopped first (on PostgreSQL the rebuild refuses to start while a node runs).",
        "Without --yes it only says what it would do."})
final class RebuildCommand implements Callable<Integer> {

  @Option(names = "--yes", description = "Rebuild now (every node on the database is stopped).")
  boolean yes;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public Integer call() {
    try (AuditSession session = AuditSession.open()) {
      Map<String, Long> before = ReadModelRebuild.rowCounts(session.database());
      long events = ReadModelRebuild.eventsInJournal(session.database());
      out.println("Rebuild of the read models " + String.join(", ", JournalReadModels.ALL.stream().map(ReadModel::name).toList())
          + " from the journal alone:");
      out.println("  1. empty these tables and the projections' offsets, in one transaction:");
      before.forEach((table, rows) -> out.printf("       %-24s %,12d rows%n", table, rows));
      out.printf("  2. run the projections over the journal's %,d events, from the first%n", events);
      out.println("  The journal, catalog, user directory, consents, groups, exhaust jobs and secrets are not touched.");
      if (!yes) {
        out.println("Every node on this database must be stopped first. Run again with --yes to rebuild.");
        return 0;
      }
      Progress progress = new Progress("audit rebuild", "events", events, new PrintWriter(err, true));
      ReadModelRebuild.Result result = new ReadModelRebuild(session.system(), session.database())
          .run((done, total, elapsed) -> progress.step());
      progress.done();
      Map<String, Long> after = ReadModelRebuild.rowCounts(session.database());
      out.printf("Rebuilt from %,d events in %.1f s:%n", result.events(), result.took().toMillis() / 1000.0);
      out.printf("       %-24s %12s %12s%n", "table", "before", "after");
      after.forEach((table, rows) -> out.printf("       %-24s %,12d %,12d%n", table, before.get(table), rows));
      return 0;
    } catch (Exception e) {
      err.println("audit rebuild failed: " + (e.getMessage() == null ? e : e.getMessage()));
      return 1;
    }
  }
}
