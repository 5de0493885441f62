package org.coursebatch.http.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.ResponseCode;

/**
 * The Sunbird response envelope: {@code id, ver, ts, params{resmsgid, msgid, err, status, errmsg},
 * responseCode, result}. Every response of the API, errors included, has all of these fields, in
 * this order. {@code result} is the operation's response record (or a stored JSON document),
 * written by {@link #JSON} like the rest of the envelope.
 */
public record Envelope(String id, String ver, String ts, Params params, String responseCode, Object result) {

  /** Sunbird's timestamp format, e.g. {@code 2020-11-23 06:59:52:152+0000}. */
  public static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSSZ").withZone(ZoneOffset.UTC);

  /**
   * How deep a response may nest. It holds stored values (as deep as the request that brought them,
   * at most {@link BodyConstraints#MAX_DEPTH} levels) inside the envelope and objects of its own, so it may nest deeper than
   * any request; the limit only stops a runaway serialization.
   */
  static final int MAX_RESPONSE_DEPTH = 2 * BodyConstraints.MAX_DEPTH;

  /**
   * The one JSON configuration of the API. Request bodies are read within {@link BodyConstraints},
   * with anything after the JSON value refused rather than silently truncated; responses (records
   * and trees alike) are written with {@link #text}: {@code JsonNode.toString()} keeps Jackson's
   * default limit of 1000 levels. Records are written in the order of their components, nulls included.
   * A tree made from a record writes the record's bytes: stored decimals keep their trailing zeros.
   */
  public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(new BodyConstraints())
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_RESPONSE_DEPTH).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private static final String VERSION = "v1";

  /** {@code params}: {@code status} is "success" or repeats the error code. */
  public record Params(String resmsgid, String msgid, String err, String status, String errmsg) {

    /** The {@code params} of a success. */
    public static Params ok(String msgId) {
      return new Params(null, msgId, null, "success", null);
    }

    /** The {@code params} of an error: {@code status} repeats the code. */
    public static Params error(String msgId, Rejection rejection) {
      String code = rejection.code().code();
      return new Params(null, msgId, code, code, rejection.message());
    }
  }

  /** {@code value} (a response record, an envelope or a JSON tree) as the text of a response. */
  public static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a response", e);
    }
  }

  /**
   * An instant in the {@code ts} format (null stays null), as the answers write their timestamps.
   * The same text as {@link #TS} gives; years 1 to 9999 are written here digit by digit, because
   * the formatter's general machinery was 3 % of a node's CPU under batch reads (every envelope's
   * {@code ts} and a batch's two timestamps).
   */
  public static String timestamp(Instant instant) {
    if (instant == null) {
      return null;
    }
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    if (t.getYear() < 1 || t.getYear() > 9999) {
      return TS.format(instant);
    }
    StringBuilder text = new StringBuilder(28);
    digits(text, t.getYear(), 4).append('-');
    digits(text, t.getMonthValue(), 2).append('-');
    digits(text, t.getDayOfMonth(), 2).append(' ');
    digits(text, t.getHour(), 2).append(':');
    digits(text, t.getMinute(), 2).append(':');
    digits(text, t.getSecond(), 2).append(':');
    return digits(text, t.getNano() / 1_000_000, 3).append("+0000").toString();
  }

  private static StringBuilder digits(StringBuilder text, int value, int width) {
    for (int power = width == 4 ? 1000 : width == 3 ? 100 : 10; power > 0; power /= 10) {
      text.append((char) ('0' + value / power % 10));
    }
    return text;
  }

  /** A success; a null {@code result} is written as an empty object. */
  public static Envelope ok(String apiId, String msgId, Object result, Instant now) {
    return new Envelope(apiId, VERSION, timestamp(now), Params.ok(msgId), ResponseCode.OK.name(), result == null ? Map.of() : result);
  }

  /** A refusal or failure: its code's response code and an empty {@code result}. */
  public static Envelope error(String apiId, String msgId, Rejection rejection, Instant now) {
    return new Envelope(apiId, VERSION, timestamp(now), Params.error(msgId, rejection), rejection.code().responseCode().name(), Map.of());
  }
}
