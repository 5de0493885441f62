package org.coursebatch.http.enrollment;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.http.batch.BatchJson;

/**
 * The batch of an enrolment as its list shows it with {@code batchDetails}: the batch's ids
 * (lms-service's list always has them), then the fields the request named, as batch read names
 * them; names batch read does not have are left out.
 */
public record BatchDetails(JsonNode batchId, JsonNode identifier, @JsonAnyGetter Map<String, JsonNode> requested) {

  public static BatchDetails of(BatchView view, List<String> fields) {
    JsonNode full = BatchJson.view(view);
    Map<String, JsonNode> requested = new LinkedHashMap<>();
    for (String field : fields) {
      if (full.has(field) && !field.equals("batchId") && !field.equals("identifier")) {
        requested.put(field, full.get(field));
      }
    }
    return new BatchDetails(full.get("batchId"), full.get("identifier"), requested);
  }
}
