package org.coursebatch.core.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebatch.core.json.AbsentJson;
import java.time.Instant;
import org.coursebatch.core.CborSerializable;

/** One reported content state, as the client sent it (already checked for format). Nulls: not sent. */
public record ContentUpdate(
    String contentId,
    int status,
    Integer progress,
    Instant lastAccessTime,
    Instant lastCompletedTime,
    JsonNode progressDetails)
    implements CborSerializable {

  public ContentUpdate {
    progressDetails = AbsentJson.orNull(progressDetails);
  }
}
