package org.coursebatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Bulk enrolment load: starts a node in this JVM (embedded H2 by default, or PostgreSQL), gives N
 * learners a profile, and then, with one request per phase, gets N create forms for a batch,
 * enrols them all, gets N update forms and unenrols them all, deletes the N enrolments by id; then
 * enrols N learners into a second batch the same way and deletes that batch's enrolments. Prints,
 * per phase, items that succeeded and failed, the time, and the peak heap of the JVM (node and
 * driver together) during the phase; fails when an item failed or a count is off.
 */
@Command(name = "bulk-enrollment-load", mixinStandardHelpOptions = true,
    description = "Bulk enrolment (create, update, delete) of many learners in one request each, against a node started in this JVM.")
public final class BulkEnrollmentLoad implements Callable<Integer> {

  private static final String BULK = "/v1/enrollments/batch";

  @Option(names = "--items", description = "Learners, so items of each bulk request (default ${DEFAULT-VALUE}).")
  int items = 10_000;

  @Option(names = "--concurrency", description = "Profile writes in flight at once while setting up (default ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Mixin
  DatabaseOptions db = new DatabaseOptions();

  private LoadNode node;
  private HeapSampler heap;
  private String creator;
  private final List<String> rows = new ArrayList<>();
  private boolean countsOff;

  public static void main(String[] args) {
    org.coursebatch.node.Main.keepCallbacksOnPooledThreads(); // the driver's HttpClient.sendAsync too
    System.exit(new CommandLine(new BulkEnrollmentLoad()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (HeapSampler sampler = HeapSampler.start(); LoadNode started = LoadNode.start(db)) {
      node = started;
      heap = sampler;
      // The bulk requests' caller needs authority over every learner as well as the batches: the
      // batches' creator has it only for learners of an organisation the batch is for; a system
      // administrator has it for all (docs/security.md).
      creator = node.token("bulk-admin", "SYSTEM_ADMINISTRATION");
      String courseId = node.registerCourse(1);
      String first = node.createBatch(courseId);
      String second = node.createBatch(courseId);
      System.out.printf("node up (%s), batches %s and %s of course %s; bulk parallelism %d%n", db.describe(), first, second,
          courseId, node.node().settings().bulk().parallelism());

      String admin = creator; // writing a profile without a root organisation is a system administrator's
      // A client of its own: the many connections it opens sit idle afterwards, and a bulk request
      // that took one from the pool just as the node closed it (idle timeout, 60 s) would fail.
      RequestPhase profiles = RequestPhase.run(LoadNode.newHttpClient(), "profiles", items, concurrency,
          i -> node.request("PUT", "/v1/user/profile/" + learner(i), admin, Map.of()));
      System.out.printf("%d learner profiles in %.1f s (%d failed)%n", items, profiles.seconds(), profiles.failed.get());
      if (profiles.failed.get() > 0) {
        return 1;
      }

      List<String> enrollmentIds = enrol(first, "");
      List<String> updateTokens = forms("forms for update", BULK + "/forms/update", Map.of("enrollmentIds", enrollmentIds));
      streamed("update (active=false)", BULK + "/update", "POST", Map.of("forms", submitted(updateTokens, false)),
          item -> item.path("formId").asText());
      streamed("delete by ids", BULK + "/delete", "POST", Map.of("enrollmentIds", enrollmentIds),
          item -> item.path("enrollmentId").asText());

      enrol(second, ", 2nd batch");
      long caughtUp = node.awaitParticipants(second, items, Duration.ofMinutes(2));
      streamed("delete for batch", BULK + "/course-batch/" + second, "DELETE", null, item -> item.path("enrollmentId").asText());

      node.awaitParticipants(first, 0, Duration.ofMinutes(1));
      node.awaitParticipants(second, 0, Duration.ofMinutes(1));

      System.out.println();
      System.out.println("| phase | items | succeeded | failed | seconds | items/s | peak heap MiB |");
      System.out.println("|---|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      System.out.printf("%nthe participant list of the 2nd batch showed all %d learners %d ms after its create ended;"
          + " both lists were empty after the deletions (max heap %d MiB)%n", items, caughtUp, HeapSampler.maxMiB());
      return countsOff ? 1 : 0;
    }
  }

  private static String learner(int i) {
    return "learner-" + i;
  }

  /** Forms for every learner into the batch, then one create with all of them; the new enrolments' ids. */
  private List<String> enrol(String batchId, String label) throws Exception {
    List<Map<String, Object>> peers = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      peers.add(Map.of("batchId", batchId, "userId", learner(i)));
    }
    List<String> tokens = forms("forms for create" + label, BULK + "/forms/create", Map.of("peers", peers, "recordTypes", List.of()));
    Map<String, String> created = streamed("create" + label, BULK + "/create", "POST", Map.of("forms", submitted(tokens, null)),
        item -> item.path("enrollmentId").asText());
    return new ArrayList<>(created.values());
  }

  private static List<Map<String, Object>> submitted(List<String> tokens, Boolean active) {
    List<Map<String, Object>> forms = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      Map<String, Object> form = new LinkedHashMap<>();
      form.put("token", t);
      if (active != null) {
        form.put("active", active);
      }
      forms.add(form);
    }
    return forms;
  }

  /** One forms request, measured; the forms' tokens. */
  private List<String> forms(String phase, String path, Map<String, Object> body) throws Exception {
    HttpRequest request = node.request("POST", path, creator, body);
    long start = beginPhase();
    JsonNode reply = LoadNode.expectOk(node.http.send(request, HttpResponse.BodyHandlers.ofString()));
    List<String> tokens = new ArrayList<>(items);
    reply.path("result").path("forms").forEach(f -> tokens.add(f.path("token").asText()));
    endPhase(phase, start, tokens.size(), items - tokens.size());
    return tokens;
  }

  /**
   * One streamed bulk request, measured, its items read as they arrive; the key of each item that
   * succeeded, mapped to its enrolment id.
   */
  private Map<String, String> streamed(String phase, String path, String method, Map<String, Object> body,
      Function<JsonNode, String> key) throws Exception {
    HttpRequest request = node.request(method, path, creator, body);
    Map<String, String> succeeded = new LinkedHashMap<>();
    int[] failed = {0};
    long start = beginPhase();
    HttpResponse<InputStream> r = node.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      String text;
      try (InputStream in = r.body()) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      throw new IllegalStateException(phase + ": " + r.statusCode() + " " + text);
    }
    StreamedItems.Tail tail;
    try (InputStream in = r.body()) {
      tail = StreamedItems.read(in, "responses", item -> {
        if (item.path("successful").asBoolean(false)) {
          succeeded.put(key.apply(item), item.path("enrollmentId").asText());
        } else if (failed[0]++ < 3) {
          System.err.println(phase + " item failed: " + item);
        }
      });
    }
    endPhase(phase, start, succeeded.size(), failed[0]);
    JsonNode summary = tail.summary();
    if (!"success".equals(tail.params().path("status").asText())
        || summary.path("succeeded").asInt(-1) != succeeded.size() || summary.path("failed").asInt(-1) != failed[0]) {
      System.err.printf("%s: the response ended with summary %s, params %s; the driver counted %d succeeded, %d failed%n",
          phase, summary, tail.params(), succeeded.size(), failed[0]);
      countsOff = true;
    }
    return succeeded;
  }

  private long beginPhase() {
    System.gc(); // the phase's peak heap starts from what is live, not from garbage of the phase before
    heap.reset();
    return System.nanoTime();
  }

  private void endPhase(String phase, long start, int succeeded, int failed) {
    double seconds = (System.nanoTime() - start) / 1e9;
    String row = String.format("| %s | %d | %d | %d | %.2f | %.0f | %d |", phase, items, succeeded, failed, seconds,
        items / seconds, heap.peakMiB());
    System.out.println(row);
    rows.add(row);
    if (succeeded != items || failed != 0) {
      countsOff = true;
    }
  }
}
