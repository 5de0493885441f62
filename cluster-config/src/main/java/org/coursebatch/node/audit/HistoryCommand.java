package org.coursebatch.node.audit;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.history.HistoryQuery;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.history.HistoryResult;
import org.coursebatch.http.history.HistoryResults;
import org.coursebatch.persistence.journal.JdbcJournalHistory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit history --batch ID | --enrollment ID [--at INSTANT] [--from N --limit N]}: prints
 * as JSON the {@code result} that {@code GET .../history} answers (a page of the journal, or the
 * state at an instant), read straight from the database, with no caller to authorize.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Prints a batch's or an enrolment's journal history, a page at a time, or its state at an instant,"
        + " as the result of GET /v1/course/batch/{batchId}/history or GET /v1/enrollments/{enrollmentId}/history.",
        "Exit status: 0 printed, 1 not found or refused (the reason on stderr), 2 usage."})
final class HistoryCommand implements Callable<Integer> {

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--batch", paramLabel = "ID", description = "The batch.")
    String batchId;

    @Option(names = "--enrollment", paramLabel = "ID",
        description = "The enrolment's primary id, batchId:userId:incarnation (the learner's journal in the batch).")
    String enrollmentId;
  }

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "Print the state as it was at this ISO-8601 instant, e.g. 2024-05-01T10:15:30Z, instead of the history.")
  String at;

  @Option(names = "--from", paramLabel = "N", description = "The sequence number the page starts at (default 1).")
  String from;

  @Option(names = "--limit", paramLabel = "N",
      description = "Entries on the page, 1 to " + HistoryQuery.MAX_LIMIT + " (default " + HistoryQuery.DEFAULT_LIMIT + ").")
  String limit;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    return AuditFailures.reported("audit history", err, () -> {
      HistoryQuery query = HistoryQuery.parse(Optional.ofNullable(at), Optional.ofNullable(from), Optional.ofNullable(limit),
          Instant.now());
      EnrollmentId enrollment = target.enrollmentId == null ? null : EnrollmentId.parse(target.enrollmentId)
          .orElseThrow(() -> new IllegalArgumentException("--enrollment " + target.enrollmentId
              + " is not an enrolment id (batchId:userId:incarnation)"));
      try (AuditSession session = AuditSession.open()) {
        HistoryResults results = new HistoryResults(JdbcJournalHistory.of(session.system()));
        CompletionStage<HistoryResult> result = enrollment == null
            ? results.batch(target.batchId, query)
            : results.enrollment(enrollment, query);
        HistoryResult json = AuditFailures.await(result);
        PrintWriter out = spec.commandLine().getOut();
        out.println(Envelope.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        out.flush();
      }
      return 0;
    });
  }
}
