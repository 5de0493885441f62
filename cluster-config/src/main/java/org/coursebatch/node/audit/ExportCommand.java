package org.coursebatch.node.audit;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.coursebatch.core.history.HistoryItem;
import org.coursebatch.core.history.JournalHistory;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.history.HistoryResult;
import org.coursebatch.persistence.journal.JdbcJournalHistory;
import org.coursebatch.persistence.journal.JournalCounts;
import org.coursebatch.persistence.journal.JournalVerifier.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit export --batch ID --format jsonl|csv [--out FILE] [--with-enrollments]}: writes
 * the batch's journal (and, with {@code --with-enrollments}, the journal of every learner's
 * enrolments in it, found by persistence id in the journal itself) as it streams from the
 * database, one entry a line, with progress on stderr against the entries counted before.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Writes a batch's journal history, and optionally that of every enrolment in the batch, as JSON lines"
        + " (each line a history item of GET .../history) or CSV (persistenceId, sequenceNr, type, at, actor, hash, change).",
        "Exit status: 0 written, 1 not found or failed (the reason on stderr), 2 usage."})
final class ExportCommand implements Callable<Integer> {

  enum Format { jsonl, csv }

  static final List<String> CSV_COLUMNS = List.of("persistenceId", "sequenceNr", "type", "at", "actor", "hash", "change");

  @Option(names = "--batch", required = true, paramLabel = "ID", description = "The batch.")
  String batchId;

  @Option(names = "--format", required = true, paramLabel = "jsonl|csv", description = "jsonl or csv.")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write to this file (replaced) instead of stdout.")
  Path out;

  @Option(names = "--with-enrollments", description = "Also every learner's enrolment journal in the batch, after the batch's.")
  boolean withEnrollments;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return AuditFailures.reported("audit export", spec.commandLine().getErr(), () -> {
      try (AuditSession session = AuditSession.open()) {
        ActorSystem<Void> system = session.system();
        JournalHistory history = JdbcJournalHistory.of(system);
        AuditFailures.await(history.batchHistory(batchId, 1, 1)); // BATCH_NOT_FOUND before anything is written
        Source<HistoryItem, NotUsed> items = history.batchItems(batchId);
        List<Scope> scopes = new ArrayList<>(List.of(Scope.entity(JournalHistory.batchPersistenceId(batchId))));
        if (withEnrollments) {
          String prefix = JournalHistory.enrollmentPersistenceIdPrefix(batchId);
          items = items.concat(JdbcJournalHistory.persistenceIds(session.database(), system, prefix)
              .flatMapConcat(pid -> history.enrollmentItems(batchId, pid.substring(prefix.length()))));
          scopes.add(Scope.prefix(prefix));
        }
        long entries = new JournalCounts(session.database().dataSource(), session.settings().database().vendor()).events(scopes);
        Progress progress = new Progress("audit export", "journal entries", entries, spec.commandLine().getErr());
        try (Writer target = target(); SequenceWriter csv = format == Format.csv ? csvRows(target) : null) {
          AuditFailures.await(items.runForeach(item -> {
            write(item, target, csv);
            progress.step();
          }, system));
        }
        progress.done();
        return 0;
      }
    });
  }

  private static void write(HistoryItem item, Writer target, SequenceWriter csv) {
    try {
      if (csv == null) {
        target.write(Envelope.JSON.writeValueAsString(HistoryResult.Entry.of(item)));
        target.write('\n');
        return;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("persistenceId", item.persistenceId());
      row.put("sequenceNr", item.sequenceNr());
      row.put("type", item.type());
      row.put("at", item.at().toString());
      row.put("actor", item.actor());
      row.put("hash", item.hash());
      row.put("change", Envelope.JSON.writeValueAsString(item.change()));
      csv.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SequenceWriter csvRows(Writer target) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder();
    CSV_COLUMNS.forEach(schema::addColumn);
    return new CsvMapper().writer(schema.build().withHeader())
        .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .writeValues(target);
  }

  /** The file, or stdout (flushed, not closed, at the end). */
  private Writer target() throws IOException {
    if (out != null) {
      return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    return new FilterWriter(stdout) {
      @Override
      public void close() {
        stdout.flush();
      }
    };
  }
}
