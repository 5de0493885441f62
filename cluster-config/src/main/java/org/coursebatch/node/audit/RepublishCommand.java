package org.coursebatch.node.audit;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.coursebatch.core.publish.EventSink;
import org.coursebatch.http.webhook.WebhookSinks;
import org.coursebatch.node.NodeSettings;
import org.coursebatch.node.publish.KafkaEventSink;
import org.coursebatch.persistence.publish.EventPublication;
import org.coursebatch.persistence.publish.Republication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audit republish --sink NAME [--tag TAG]... [--from-offset N] [--to-offset N] [--since T] [--until T]}:
 * publishes a range of the journal again to one sink of the node's settings (Kafka, or a webhook
 * receiver by its name), the same messages as the first time, for a consumer that lost some.
 */
@Command(name = "republish", mixinStandardHelpOptions = true,
    description = {"Publishes a range of the journal again to one sink: the same messages (event ids, bodies) as the"
        + " first time, in journal order per key; consumers drop those they already have.",
        "The sinks are the node's (BATCH_KAFKA_*, BATCH_WEBHOOK_*); the publications' own progress is not touched,"
            + " and the nodes may keep running."})
final class RepublishCommand implements Callable<Integer> {

  @Option(names = "--sink", required = true, paramLabel = "NAME",
      description = "kafka, or a webhook receiver's name (webhook-xxxxxxxx, as the node logs it).")
  String sink;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only this tag (repeatable); default: every tag.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--from-offset", paramLabel = "N", description = "From this journal ordering on (the publications' offsets).")
  Long fromOffset;

  @Option(names = "--to-offset", paramLabel = "N", description = "Up to this journal ordering, included.")
  Long toOffset;

  @Option(names = "--since", paramLabel = "INSTANT", description = "Entries written at or after this instant (2026-12-01T00:00:00Z).")
  Instant since;

  @Option(names = "--until", paramLabel = "INSTANT", description = "Entries written before this instant.")
  Instant until;

  @Spec
  CommandSpec spec;

  /** How long one group of messages may take to be acknowledged. */
  static final Duration GROUP_TIMEOUT = Duration.ofMinutes(5);

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    return AuditFailures.reported("audit republish", err, () -> {
      List<String> known = EventPublication.tags();
      for (String tag : tags) {
        if (!known.contains(tag)) {
          throw new IllegalArgumentException("no tag " + tag + "; the tags are " + String.join(", ", known));
        }
      }
      Republication.Range range = new Republication.Range(fromOffset, toOffset, since, until);
      try (AuditSession session = AuditSession.open()) {
        List<EventSink> sinks = sinks(session);
        EventSink target = sinks.stream().filter(s -> s.name().equals(sink)).findFirst().orElseThrow(() ->
            new IllegalArgumentException("no sink " + sink + " in the node's settings; there are: "
                + (sinks.isEmpty() ? "none" : String.join(", ", sinks.stream().map(EventSink::name).toList()))));
        Progress progress = new Progress("audit republish", "journal entries", Progress.UNKNOWN, err);
        Republication.Result result;
        try {
          result = Republication.run(session.system(), target, tags.isEmpty() ? known : List.copyOf(tags), range,
              GROUP_TIMEOUT, n -> progress.step());
        } finally {
          sinks.forEach(s -> {
            if (s instanceof AutoCloseable closeable) {
              try {
                closeable.close();
              } catch (Exception ignored) {
                // closing a producer: nothing left to deliver
              }
            }
          });
        }
        progress.done();
        spec.commandLine().getOut().printf("Republished %,d messages of %,d journal entries to %s%n", result.published(),
            result.entries(), target.name());
        return 0;
      }
    });
  }

  private static List<EventSink> sinks(AuditSession session) {
    NodeSettings settings = session.settings();
    List<EventSink> sinks = new ArrayList<>();
    settings.kafka().ifPresent(kafka -> sinks.add(new KafkaEventSink(kafka)));
    sinks.addAll(WebhookSinks.fromSettings(session.system(), settings.webhook()));
    return sinks;
  }
}
