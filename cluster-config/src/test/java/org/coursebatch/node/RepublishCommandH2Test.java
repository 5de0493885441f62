package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.http.webhook.WebhookSink;
import org.coursebatch.node.audit.AuditRun;
import org.junit.jupiter.api.Test;

/**
 * {@code audit republish} against a node's H2 data with the node stopped: a webhook receiver that
 * lost messages gets a time range of the journal again, the very messages of the first delivery,
 * in journal order, and nothing outside the range; an unknown sink is refused, naming the sinks.
 */
class RepublishCommandH2Test {

  @Test
  void aRangeOfTheJournalReachesTheReceiverAgain() throws Exception {
    WebhooksH2Test.Receiver receiver = new WebhooksH2Test.Receiver();
    receiver.listen(0);
    String url = "http://127.0.0.1:" + receiver.port() + "/hooks";
    Path dataDir = Files.createTempDirectory("batch-republish");
    Map<String, String> settings = Map.of(
        "course-batch.webhook.urls", url,
        "course-batch.webhook.secret", WebhooksH2Test.SECRET,
        "course-batch.webhook.timeout", "2s",
        "course-batch.webhook.max-backoff", "1s");
    Instant between;
    Map<String, List<String>> second;
    try (TestNode node = TestNode.start(dataDir, null, MutableClock.startingNow(), new LinkedHashMap<>(settings))) {
      ApiClient api = node.client();
      String batchId = EventsOutContract.openBatch(api, "do_events", "Republished batch");
      EventsOutContract.learn(api, batchId, "do_events", "learner-1", true);
      receiver.await(EventsOutContract.expected(node.node(), batchId, List.of("learner-1")));
      Thread.sleep(50);
      between = Instant.now();
      Thread.sleep(50);
      EventsOutContract.learn(api, batchId, "do_events", "learner-2", true);
      Map<String, List<String>> all = EventsOutContract.expected(node.node(), batchId, List.of("learner-1", "learner-2"));
      receiver.await(all);
      second = Map.of(batchId + ":learner-2", all.get(batchId + ":learner-2"));
    }
    Map<String, String> firstBodies = new LinkedHashMap<>();
    receiver.deliveries.forEach(d -> firstBodies.putIfAbsent(eventId(d), d.body()));
    receiver.deliveries.clear();

    Map<String, String> properties = new LinkedHashMap<>(settings);
    properties.put("course-batch.data-dir", dataDir.toString());
    String name = WebhookSink.receiverName(URI.create(url));
    AuditRun r = audit(properties, "republish", "--sink", name, "--since", between.toString());
    assertEquals(0, r.exit(), r.toString());

    List<String> again = new ArrayList<>();
    for (WebhooksH2Test.Delivery d : receiver.deliveries) {
      String id = eventId(d);
      assertEquals(firstBodies.get(id), d.body(), "the message of the first delivery");
      again.add(id + " " + ApiClient.JSON.readTree(d.body()).path("type").asText());
    }
    assertEquals(second.values().iterator().next(), again, "learner-2's events, in journal order, and nothing else");
    assertTrue(r.out().contains("Republished " + again.size() + " messages"), r.out());

    AuditRun unknown = audit(properties, "republish", "--sink", "kafka");
    assertEquals(1, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("no sink kafka") && unknown.err().contains(name), unknown.err());
    receiver.stop();
  }

  private static String eventId(WebhooksH2Test.Delivery d) {
    try {
      return ApiClient.JSON.readTree(d.body()).path("eventId").asText();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code audit ARGS} as the jar does, with {@code properties} as the node's settings. */
  static AuditRun audit(Map<String, String> properties, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "audit";
    System.arraycopy(args, 0, command, 1, args.length);
    return AuditRun.of(properties, command);
  }
}
