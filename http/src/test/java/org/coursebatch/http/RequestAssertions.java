package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.json.JsonFields;
import org.coursebatch.http.api.Envelope;

/** Request objects from compact JSON, and assertions on the rejections request decoding gives. */
public final class RequestAssertions {

  private RequestAssertions() {}

  /** JSON written with single quotes. */
  public static JsonNode json(String singleQuoted) {
    try {
      return Envelope.JSON.readTree(singleQuoted.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }

  /** A {@code request} object from JSON written with single quotes. */
  public static JsonFields req(String singleQuoted) {
    return JsonFields.of(json(singleQuoted), "request");
  }

  public static Rejection rejection(Supplier<?> decode) {
    return assertThrows(RejectedException.class, decode::get).rejection();
  }

  /** Refused with {@code code} and, unless null, exactly {@code message}. */
  public static void assertRejected(ErrorCode code, String message, Supplier<?> decode) {
    Rejection r = rejection(decode);
    assertEquals(code, r.code(), r.message());
    if (message != null) {
      assertEquals(message, r.message());
    }
  }
}
