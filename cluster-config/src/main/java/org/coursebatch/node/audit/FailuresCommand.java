package org.coursebatch.node.audit;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.coursebatch.persistence.projection.LeftOutRetry;
import org.coursebatch.persistence.projection.ProjectionFailures;
import org.coursebatch.persistence.projection.ProjectionFailures.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit failures [--retry]}: the events the read models left out because they could not
 * write them (docs/journal.md, "Events a projection cannot write"), one line each; with
 * {@code --retry}, writes them again first.
 */
@Command(name = "failures", mixinStandardHelpOptions = true,
    description = {"Lists the journal events a read model could not write and left out (with the later events of the"
        + " same entity, held behind them). Nodes retry them each time they start their projections.",
        "With --retry, retries them now, as a node starting would: every node on the database must be stopped first"
        + " (on PostgreSQL the retry refuses to start while a node runs).",
        "Exit status: 0 none left out, 1 some left out, 2 error (the reason on stderr)."})
final class FailuresCommand implements Callable<Integer> {

  @Option(names = "--retry", description = "Write the left-out events again now (every node on the database is stopped).")
  boolean retry;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public Integer call() {
    try (AuditSession session = AuditSession.open()) {
      if (retry) {
        Map<String, String> retried = LeftOutRetry.run(session.system(), session.database());
        retried.forEach((instance, outcome) -> out.println("retried " + instance + ": " + outcome));
      }
      List<Failure> failures = ProjectionFailures.list(session.database());
      failures.forEach(f -> out.println(f.describe()));
      long failed = failures.stream().filter(f -> !f.held()).count();
      out.printf("%d events left out: %d failed, %d held behind them%n", failures.size(), failed, failures.size() - failed);
      return failures.isEmpty() ? 0 : 1;
    } catch (Exception e) {
      err.println("audit failures failed: " + (e.getMessage() == null ? e : e.getMessage()));
      return 2;
    }
  }
}
