package org.coursebatch.core.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The hash chain of the journal, defined on stored bytes alone so that anyone holding a row of
 * {@code event_journal} can recompute it (docs/journal.md, "Tamper evidence"):
 *
 * <pre>
 * hash     = hex(SHA-256(prevHash + "\n" + canonical(event)))
 * genesis  = hex(SHA-256("genesis:" + persistenceId))   -- the prevHash of an entity's first chained event
 * </pre>
 *
 * where {@code event} is the stored JSON object without its {@code prevHash} and {@code hash}
 * fields, and {@code canonical} writes it compactly (UTF-8, no whitespace) with object keys sorted
 * by their UTF-16 code units at every level, strings escaped as JSON requires (quote, backslash,
 * control characters) and numbers as plain decimals without exponent or trailing fractional zeros
 * ({@code 1.50} and {@code 1.5E0} are both {@code 1.5}, {@code 2.0} is {@code 2}).
 */
public final class JournalHash {

  public static final String PREV_HASH = "prevHash";
  public static final String HASH = "hash";

  /** Reads stored JSON exactly: decimals as written, a duplicated key is an error (it would hide a value). */
  private static final JsonMapper READER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final JsonFactory WRITER = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();

  private JournalHash() {}

  /** The chain value an entity's first chained event points back to; ties the chain to the entity. */
  public static String genesis(String persistenceId) {
    return HEX.formatHex(sha256().digest(("genesis:" + persistenceId).getBytes(StandardCharsets.UTF_8)));
  }

  /** The hash of an event, chained to {@code prevHash}, from its canonical JSON. */
  public static String chain(String prevHash, byte[] canonicalEvent) {
    MessageDigest digest = sha256();
    digest.update(prevHash.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    digest.update(canonicalEvent);
    return HEX.formatHex(digest.digest());
  }

  /** The hash of an event's JSON (as the journal serializer writes it), chained to {@code prevHash}. */
  public static String chainJson(String prevHash, byte[] eventJson) {
    try {
      JsonNode event = READER.readTree(eventJson);
      for (String reserved : List.of(PREV_HASH, HASH)) {
        if (event != null && event.has(reserved)) {
          throw new IllegalArgumentException("Event field '" + reserved + "' is reserved for the hash chain");
        }
      }
      return chain(prevHash, canonical(event));
    } catch (IOException e) {
      throw new UncheckedIOException("Event JSON could not be read back for its hash", e);
    }
  }

  /**
   * A stored chained event taken apart: the links it names and whether its content still matches
   * its hash. Throws {@link IOException} when the payload is not a JSON object.
   */
  public static Stored read(byte[] payload) throws IOException {
    JsonNode root = READER.readTree(gunzipped(payload));
    if (root == null || !root.isObject()) {
      throw new IOException("not a JSON object");
    }
    ObjectNode event = (ObjectNode) root;
    JsonNode prev = event.remove(PREV_HASH);
    JsonNode hash = event.remove(HASH);
    String prevHash = prev != null && prev.isTextual() ? prev.asText() : null;
    String storedHash = hash != null && hash.isTextual() ? hash.asText() : null;
    String computed = prevHash == null ? null : chain(prevHash, canonical(event));
    return new Stored(prevHash, storedHash, computed);
  }

  /**
   * The parts of a stored chained event: {@code prevHash} and {@code hash} as stored (null when
   * missing), and the hash its content and prevHash give now (null without a prevHash).
   */
  public record Stored(String prevHash, String hash, String computedHash) {
    public boolean chained() {
      return prevHash != null && hash != null;
    }

    public boolean intact() {
      return chained() && hash.equals(computedHash);
    }
  }

  /** Akka's Jackson serializers gzip large payloads when compression is configured; off by default. */
  private static byte[] gunzipped(byte[] payload) throws IOException {
    if (payload.length < 2 || (payload[0] & 0xff) != 0x1f || (payload[1] & 0xff) != 0x8b) {
      return payload;
    }
    try (var in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
      return in.readAllBytes();
    }
  }

  /** The canonical form of a JSON value (see the class comment). */
  public static byte[] canonical(JsonNode node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator gen = WRITER.createGenerator(out)) {
      write(gen, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator gen, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        gen.writeStartObject();
        for (String name : names) {
          gen.writeFieldName(name);
          write(gen, node.get(name));
        }
        gen.writeEndObject();
      }
      case ARRAY -> {
        gen.writeStartArray();
        for (JsonNode element : node) {
          write(gen, element);
        }
        gen.writeEndArray();
      }
      case STRING -> gen.writeString(node.textValue());
      case NUMBER -> gen.writeNumber(number(node));
      case BOOLEAN -> gen.writeBoolean(node.booleanValue());
      case NULL, MISSING -> gen.writeNull();
      default -> throw new IOException("Not a JSON value: " + node.getNodeType());
    }
  }

  private static String number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    BigDecimal value = node.decimalValue();
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  /** Cloned for each hash: a look-up through the security providers costs more than the hash of an event. */
  private static final MessageDigest SHA_256 = newSha256();

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
