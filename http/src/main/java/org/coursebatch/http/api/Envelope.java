package org.coursebatch.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  /** Request bodies with anything after the JSON value are refused rather than silently truncated. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Envelope() {}

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
