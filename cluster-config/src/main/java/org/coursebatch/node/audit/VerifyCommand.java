package org.coursebatch.node.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.coursebatch.core.batch.CourseBatchEntity;
import org.coursebatch.core.enrollment.EnrollmentEntity;
import org.coursebatch.core.journal.EntityChainCheck.Finding;
import org.coursebatch.core.journal.EntityChainCheck.Head;
import org.coursebatch.core.journal.EntityChainCheck.Kind;
import org.coursebatch.persistence.db.DatabaseSettings;
import org.coursebatch.persistence.journal.JournalCounts;
import org.coursebatch.persistence.journal.JournalVerifier;
import org.coursebatch.persistence.journal.JournalVerifier.Scope;
import org.coursebatch.persistence.journal.JournalVerifier.Summary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit verify [--persistence-id ID | --batch ID] [--format text|json] [--save-heads FILE]
 * [--check-heads FILE]}: checks the
 * journal's hash chain (docs/journal.md, "Tamper evidence") and prints every finding as it is made,
 * then a summary; progress on stderr, against the rows in scope counted before the run.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verifies the journal's hash chain: reports every row whose content was altered, every deleted row"
        + " and every row moved out of order, for one entity, a batch (its own journal and every enrolment's in it) or the"
        + " whole journal. Rows written before the chain existed are reported as UNCHAINED, which is not a failure."
        + " Heads saved by an earlier run (--save-heads, then --check-heads) also show deleted tails and rewritten chains.",
        "Exit status: 0 intact, 1 findings, 2 error (the reason on stderr)."})
final class VerifyCommand implements Callable<Integer> {

  enum Format { text, json }

  @ArgGroup(exclusive = true)
  Target target;

  static final class Target {
    @Option(names = "--persistence-id", paramLabel = "ID", description = "One entity, e.g. CourseBatch|0131...")
    String persistenceId;

    @Option(names = "--batch", paramLabel = "ID", description = "A batch's journal and the journal of every enrolment in it.")
    String batchId;
  }

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text (a line a finding, then a summary) or json (one document). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--save-heads", paramLabel = "FILE",
      description = "Write each verified entity's last row and hash to FILE (JSON lines), to keep where the database's"
          + " writers cannot reach and give to a later --check-heads.")
  Path saveHeads;

  @Option(names = "--check-heads", paramLabel = "FILE",
      description = "Heads saved by an earlier --save-heads: report entities whose saved row is gone (a deleted tail) or"
          + " has another hash now (rows rewritten with their hashes).")
  Path checkHeads;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Head> saved;
    try {
      saved = checkHeads == null ? Map.of() : HeadsFile.read(checkHeads);
    } catch (IOException | RuntimeException e) {
      err.println("audit verify: cannot read the heads in " + checkHeads + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    try (AuditSession session = AuditSession.open(); HeadsFile heads = saveHeads == null ? null : HeadsFile.create(saveHeads)) {
      DataSource dataSource = session.database().dataSource();
      DatabaseSettings.Vendor vendor = session.settings().database().vendor();
      var verifier = new JournalVerifier(dataSource, vendor);
      List<Scope> scopes = scopes();
      Progress progress = new Progress("audit verify", "events", new JournalCounts(dataSource, vendor).rows(scopes), err);
      Report report = format == Format.json ? new JsonReport(out) : new TextReport(out);
      Summary summary = verifier.verify(scopes, saved, new JournalVerifier.Listener() {
        @Override
        public void finding(Finding finding) {
          report.finding(finding);
        }

        @Override
        public void progress(long events) {
          progress.step();
        }

        @Override
        public void head(String persistenceId, Head head) {
          if (heads != null) {
            heads.write(persistenceId, head);
          }
        }
      });
      progress.done();
      if (target != null && summary.entities() == 0 && summary.failures() == 0) {
        err.println("audit verify: no events in the journal for " + (target.persistenceId != null
            ? "persistence id " + target.persistenceId : "batch " + target.batchId));
        err.flush();
        return 2;
      }
      report.summary(summary);
      out.flush();
      return summary.intact() ? 0 : 1;
    } catch (Exception e) {
      err.println("audit verify: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      err.flush();
      return 2;
    }
  }

  private List<Scope> scopes() {
    if (target == null) {
      return List.of(Scope.all());
    }
    if (target.persistenceId != null) {
      return List.of(Scope.entity(target.persistenceId));
    }
    return List.of(Scope.entity(CourseBatchEntity.ENTITY_KEY.name() + "|" + target.batchId),
        Scope.prefix(EnrollmentEntity.ENTITY_KEY.name() + "|" + EnrollmentEntity.entityId(target.batchId, "")));
  }

  /** Heads as JSON lines: {@code {"persistenceId":…,"sequenceNr":…,"hash":…}}. */
  private static final class HeadsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter writer;

    private HeadsFile(BufferedWriter writer) {
      this.writer = writer;
    }

    static HeadsFile create(Path file) throws IOException {
      return new HeadsFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    static Map<String, Head> read(Path file) throws IOException {
      Map<String, Head> heads = new HashMap<>();
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank()) {
            JsonNode head = JSON.readTree(line);
            heads.put(head.path("persistenceId").asText(), new Head(head.path("sequenceNr").asLong(), head.path("hash").asText()));
          }
        }
      }
      return heads;
    }

    void write(String persistenceId, Head head) {
      try {
        writer.write(JSON.writeValueAsString(JSON.createObjectNode().put("persistenceId", persistenceId)
            .put("sequenceNr", head.sequenceNr()).put("hash", head.hash())));
        writer.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  private interface Report {
    void finding(Finding finding);

    void summary(Summary summary);
  }

  private record TextReport(PrintWriter out) implements Report {
    @Override
    public void finding(Finding f) {
      String where = f.persistenceId().isEmpty() ? "(journal)" : f.persistenceId() + " row " + f.sequenceNr();
      out.printf("%-10s %s%s: %s%n", f.kind(), where, f.ordering() == null ? "" : " (ordering " + f.ordering() + ")", f.detail());
    }

    @Override
    public void summary(Summary s) {
      String result = s.intact() ? "intact" : String.format(Locale.ROOT, "%d findings (%d altered, %d deleted, %d reordered)",
          s.failures(), s.findings().get(Kind.ALTERED), s.findings().get(Kind.DELETED), s.findings().get(Kind.REORDERED));
      out.printf(Locale.ROOT, "Verified %d entities, %d events: %s%s%n", s.entities(), s.events(), result,
          s.unchainedEvents() == 0 ? "" : "; " + s.unchainedEvents() + " events from before the chain are not verifiable");
    }
  }

  /** {@code {"findings":[...],"summary":{...}}}, the findings written as they come. */
  private static final class JsonReport implements Report {
    private interface Writing {
      void run() throws IOException;
    }

    private final JsonGenerator json;

    JsonReport(PrintWriter out) {
      try {
        json = new JsonFactory().createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      write(() -> {
        json.writeStartObject();
        json.writeArrayFieldStart("findings");
      });
    }

    private static void write(Writing writing) {
      try {
        writing.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void finding(Finding f) {
      write(() -> {
        json.writeStartObject();
        json.writeStringField("kind", f.kind().name());
        json.writeStringField("persistenceId", f.persistenceId());
        json.writeNumberField("sequenceNr", f.sequenceNr());
        if (f.ordering() != null) {
          json.writeNumberField("ordering", f.ordering());
        }
        json.writeStringField("detail", f.detail());
        json.writeEndObject();
      });
    }

    @Override
    public void summary(Summary s) {
      write(() -> {
        json.writeEndArray();
        json.writeObjectFieldStart("summary");
        json.writeBooleanField("intact", s.intact());
        json.writeNumberField("entities", s.entities());
        json.writeNumberField("events", s.events());
        json.writeNumberField("unchainedEvents", s.unchainedEvents());
        for (Kind k : Kind.values()) {
          json.writeNumberField(k.name().toLowerCase(Locale.ROOT), s.findings().get(k));
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
      });
    }
  }
}
