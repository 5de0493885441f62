package org.coursebatch.http.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.error.ResponseCode;

/**
 * The Sunbird response envelope: {@code id, ver, ts, params{resmsgid, msgid, err, status, errmsg},
 * responseCode, result}. Every response of the API, errors included, has all of these fields.
 */
public final class Envelope {

  /** Sunbird's timestamp format, e.g. {@code 2020-11-23 06:59:52:152+0000}. */
  public static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSSZ").withZone(ZoneOffset.UTC);

  /**
   * How deep a response may nest. It holds stored values (as deep as the request that brought them,
   * at most {@link BodyConstraints#MAX_DEPTH} levels) inside the envelope and objects of its own, so it may nest deeper than
   * any request; the limit only stops a runaway serialization.
   */
  static final int MAX_RESPONSE_DEPTH = 2 * BodyConstraints.MAX_DEPTH;

  /**
   * Request bodies are read within {@link BodyConstraints}, and with anything after the JSON value
   * refused rather than silently truncated. Write responses with {@link #text}:
   * {@code JsonNode.toString()} keeps Jackson's default limit of 1000 levels.
   */
  public static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(new BodyConstraints())
          .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_RESPONSE_DEPTH).build())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Envelope() {}

  /** {@code json} as the text of a response. */
  public static String text(JsonNode json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a response", e);
    }
  }

  public static ObjectNode ok(String apiId, String msgId, JsonNode result, Instant now) {
    return build(apiId, okParams(msgId), ResponseCode.OK, result, now);
  }

  public static ObjectNode error(String apiId, String msgId, Rejection rejection, Instant now) {
    return build(apiId, errorParams(msgId, rejection), rejection.code().responseCode(), JSON.createObjectNode(), now);
  }

  private static ObjectNode build(String apiId, ObjectNode params, ResponseCode responseCode, JsonNode result, Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", apiId);
    root.put("ver", "v1");
    root.put("ts", TS.format(now));
    root.set("params", params);
    root.put("responseCode", responseCode.name());
    root.set("result", result == null ? JSON.createObjectNode() : result);
    return root;
  }

  /** The {@code params} of a success. */
  public static ObjectNode okParams(String msgId) {
    return params(msgId, null, "success", null);
  }

  /** The {@code params} of an error: {@code status} repeats the code. */
  public static ObjectNode errorParams(String msgId, Rejection rejection) {
    String code = rejection.code().code();
    return params(msgId, code, code, rejection.message());
  }

  private static ObjectNode params(String msgId, String err, String status, String errmsg) {
    ObjectNode params = JSON.createObjectNode();
    params.putNull("resmsgid");
    params.put("msgid", msgId);
    params.put("err", err);
    params.put("status", status);
    params.put("errmsg", errmsg);
    return params;
  }
}
