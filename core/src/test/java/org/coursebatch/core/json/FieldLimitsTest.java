package org.coursebatch.core.json;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.error.Rejection;
import org.junit.jupiter.api.Test;

class FieldLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonFields fields(String json) throws Exception {
    return JsonFields.of(JSON.readTree(json.replace('\'', '"')), "request");
  }

  private static Rejection refused(Runnable read) {
    return assertThrows(RejectedException.class, read::run).rejection();
  }

  @Test
  void aTextIsTakenUpToItsMaximumAndRefusedBeyondWithItsPath() throws Exception {
    assertEquals("x".repeat(100), FieldLimits.requireWithin("x".repeat(100), "id", 100));
    assertNull(FieldLimits.requireWithin(null, "id", 100));
    Rejection r = refused(() -> FieldLimits.requireWithin("x".repeat(101), "id", 100));
    assertEquals(ErrorCode.VALUE_TOO_LONG, r.code());
    assertEquals("INVALID_PARAMETER_VALUE", r.code().code());
    assertEquals("Parameter id is at most 100 characters; 101 were given.", r.message());

    JsonFields doc = fields("{'batch': {'template': {'identifier': '" + "t".repeat(101) + "'}}, 'mentors': ['m', '" + "m".repeat(101)
        + "'], 'children': [{'name': 'ok'}, {'name': '" + "n".repeat(11) + "'}], 'details': {'a': '" + "d".repeat(20) + "'}}");
    assertEquals("Parameter batch.template.identifier is at most 100 characters; 101 were given.",
        refused(() -> doc.object("batch").orElseThrow().object("template").orElseThrow().string("identifier", 100)).message());
    assertEquals("Parameter mentors[1] is at most 100 characters; 101 were given.", refused(() -> doc.stringList("mentors", 100)).message());
    assertEquals(List.of("m", "m".repeat(101)), doc.stringList("mentors", 101).orElseThrow());
    List<JsonFields> children = doc.objects("children");
    assertEquals("ok", children.get(0).string("name", 10).orElseThrow());
    assertEquals("Parameter children[1].name is at most 10 characters; 11 were given.",
        refused(() -> children.get(1).string("name", 10)).message());
    assertEquals("Parameter details is at most 20 characters; 28 were given.", refused(() -> doc.json("details", 20)).message());
    assertTrue(doc.json("absent", 1).isEmpty());
  }

  @Test
  void datesAreTakenFrom1970To9999() throws Exception {
    assertEquals(LocalDate.of(1970, 1, 1), fields("{'d': '1970-01-01'}").date("d").orElseThrow());
    assertEquals(LocalDate.of(9999, 12, 31), fields("{'d': '9999-12-31'}").date("d").orElseThrow());
    for (String day : List.of("1969-12-31", "+10000-01-01", "+999999999-12-31")) {
      JsonFields doc = fields("{'endDate': '" + day + "'}");
      Rejection r = refused(() -> doc.date("endDate"));
      assertEquals("DATE_FORMAT_ERRROR", r.code().code(), day);
      assertTrue(r.message().startsWith("Parameter endDate is "), r.message());
      assertTrue(r.message().endsWith("; dates from 1970-01-01 to 9999-12-31 are taken."), r.message());
    }
    assertEquals(Instant.EPOCH, FieldLimits.requireInRange(Instant.EPOCH, "at"));
    Instant last = Instant.parse("9999-12-31T23:59:59.999Z");
    assertEquals(last, FieldLimits.requireInRange(last, "at"));
    assertEquals(ErrorCode.DATE_OUT_OF_RANGE, refused(() -> FieldLimits.requireInRange(last.plusMillis(1), "at")).code());
    assertEquals(ErrorCode.DATE_OUT_OF_RANGE, refused(() -> FieldLimits.requireInRange(Instant.EPOCH.minusMillis(1), "at")).code());
    assertEquals(ErrorCode.DATE_OUT_OF_RANGE, refused(() -> FieldLimits.requireInRange(Instant.MAX, "at")).code());
  }
}
