package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exchanges of a scenario as they went over the wire: method, path, status, Content-Type and
 * the response body as raw text (never re-serialised, so field order and number formatting stay as
 * sent), with the values that differ from run to run replaced by stable placeholders. Compared
 * with, or written to, a golden file of one block per exchange.
 */
final class WireTranscript {

  /** Where a block starts; the number makes a difference easy to locate in the file. */
  static final String BLOCK = "### ";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SHA_256 = Pattern.compile("\\b[0-9a-f]{64}\\b");

  /** A recorded answer, raw. */
  record Exchange(String method, String path, int status, String contentType, String body) {}

  private final List<Exchange> exchanges = new ArrayList<>();
  /** Values the scenario captured (generated ids), with their placeholders, in the order captured. */
  private final Map<String, String> known = new LinkedHashMap<>();
  private final Map<String, Integer> counters = new LinkedHashMap<>();
  /** Bodies that are not the HTTP layer's JSON (documents, archives): recorded as this text instead. */
  private final List<Pattern> opaque = new ArrayList<>();
  private final Map<Pattern, String> rewrites = new LinkedHashMap<>();
  private final List<Pattern> unordered = new ArrayList<>();

  /** Sends the request and returns the answer without recording it (setup, polling). */
  static Exchange send(String base, String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Exchange(method, path, r.statusCode(), r.headers().firstValue("Content-Type").orElse("-"),
          new String(r.body(), StandardCharsets.UTF_8));
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }

  /** Sends the request and records the answer. */
  Exchange record(String base, String method, String path, Map<String, String> headers, byte[] body) {
    return record(send(base, method, path, headers, body));
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  Exchange record(Exchange e) {
    exchanges.add(e);
    return e;
  }

  /** Asks until the answer satisfies {@code done} (a projection trails the journal), then records that answer. */
  Exchange recordWhen(String base, String method, String path, Map<String, String> headers, byte[] body,
      Predicate<Exchange> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exchange last;
    do {
      last = send(base, method, path, headers, body);
      if (done.test(last)) {
        return record(last);
      }
      NodeApiContract.sleep(100);
    } while (System.nanoTime() < deadline);
    return fail(method + " " + path + " never answered as awaited; last: " + last);
  }

  /**
   * {@code value}, a generated id, is written {@code <kind-n>} from now on (n counts per kind);
   * returns the placeholder. A value already known keeps its placeholder.
   */
  String capture(String kind, String value) {
    return known.computeIfAbsent(value, v -> "<" + kind + "-" + counters.merge(kind, 1, Integer::sum) + ">");
  }

  /**
   * Every match of {@code regex} is written {@code placeholder}: for a value that follows from
   * generated ids in a way no capture can undo (the size of a compressed file that holds them).
   */
  void normalise(String regex, String placeholder) {
    rewrites.put(Pattern.compile(regex), placeholder);
  }

  /**
   * Answers to paths matching {@code pathRegex} stream the items of their {@code "responses"}
   * list as each completes, in no fixed order: the items are compared in sorted order, each
   * item's text as sent.
   */
  void unorderedResponses(String pathRegex) {
    unordered.add(Pattern.compile(pathRegex));
  }

  /** Answers to paths matching {@code path} that are not JSON (documents, archives) are recorded without their body. */
  void opaqueBodies(String pathRegex) {
    opaque.add(Pattern.compile(pathRegex));
  }

  /** The transcript as the golden file holds it. */
  String text() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < exchanges.size(); i++) {
      Exchange e = exchanges.get(i);
      boolean hidden = !e.contentType().startsWith("application/json") && opaque.stream().anyMatch(p -> p.matcher(e.path()).matches());
      String body = hidden ? "<not compared>" : replaceKnown(e.body());
      if (unordered.stream().anyMatch(p -> p.matcher(e.path()).matches())) {
        body = sortedResponses(body);
      }
      out.append(BLOCK).append(i + 1).append(' ').append(e.method()).append(' ').append(replaceKnown(e.path())).append('\n')
          .append("status: ").append(e.status()).append('\n')
          .append("content-type: ").append(e.contentType()).append('\n')
          .append(body).append("\n\n");
    }
    return number(SHA_256, "sha256", number(UUID, "uuid", out.toString()));
  }

  private String replaceKnown(String text) {
    for (Map.Entry<Pattern, String> r : rewrites.entrySet()) {
      text = r.getKey().matcher(text).replaceAll(Matcher.quoteReplacement(r.getValue()));
    }
    // Longest first: an id that contains another is replaced whole.
    List<String> values = new ArrayList<>(known.keySet());
    values.sort((a, b) -> b.length() - a.length());
    for (String v : values) {
      text = text.replace(v, known.get(v));
    }
    return text;
  }

  private static final String RESPONSES = "\"responses\":[";

  /** The body with the objects of its {@code "responses"} list in sorted order, each as it was. */
  static String sortedResponses(String body) {
    int start = body.indexOf(RESPONSES);
    if (start < 0) {
      return body;
    }
    start += RESPONSES.length();
    List<String> items = new ArrayList<>();
    int depth = 0;
    int itemStart = start;
    boolean inString = false;
    int i = start;
    for (; i < body.length(); i++) {
      char c = body.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          break; // the list's own ]
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        items.add(body.substring(itemStart, i));
        itemStart = i + 1;
      }
    }
    if (i > itemStart) {
      items.add(body.substring(itemStart, i));
    }
    items.sort(null);
    return body.substring(0, start) + String.join(",", items) + body.substring(i);
  }

  /**
   * Values nobody captured (message ids; the journal's hashes, which cover generated ids):
   * {@code <kind-n>} in order of first appearance, the same value the same number.
   */
  private static String number(Pattern values, String kind, String text) {
    Map<String, String> seen = new LinkedHashMap<>();
    Matcher m = values.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String placeholder = seen.computeIfAbsent(m.group(), u -> "<" + kind + "-" + (seen.size() + 1) + ">");
      m.appendReplacement(out, Matcher.quoteReplacement(placeholder));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Writes the transcript to {@code golden} when {@code update}; otherwise compares it with the
   * file and fails on the first exchange that differs, showing both.
   */
  void compareWith(Path golden, boolean update) throws IOException {
    String actual = text();
    if (update) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      fail(golden + " is missing; run with -Dwire.golden.update=true to write it");
    }
    String expected = Files.readString(golden, StandardCharsets.UTF_8);
    if (expected.equals(actual)) {
      return;
    }
    List<String> want = blocks(expected);
    List<String> got = blocks(actual);
    for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
      String w = i < want.size() ? want.get(i) : "<no exchange>";
      String g = i < got.size() ? got.get(i) : "<no exchange>";
      if (!w.equals(g)) {
        fail("Exchange " + (i + 1) + " differs from " + golden.getFileName()
            + " (run with -Dwire.golden.update=true if the change is intended)\n--- expected:\n" + w + "\n--- actual:\n" + g);
      }
    }
    fail("The transcript differs from " + golden.getFileName() + " outside any exchange (line endings?)");
  }

  private static List<String> blocks(String text) {
    List<String> out = new ArrayList<>();
    for (String part : ("\n" + text).split("\n" + Pattern.quote(BLOCK))) {
      if (!part.isEmpty()) {
        out.add(BLOCK + part);
      }
    }
    return out;
  }
}
