package org.coursebatch.http.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.history.HistoryItem;
import org.coursebatch.core.history.HistoryPage;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.batch.BatchJson;
import org.coursebatch.http.enrollment.bulk.BulkEnrollmentJson;

/**
 * Journal history and states at an instant as the history routes answer them (and the
 * {@code audit} command prints them). Instants are ISO-8601, as {@code at=} takes them.
 */
public final class HistoryJson {

  private HistoryJson() {}

  /**
   * One journal entry: {@code persistenceId, sequenceNr, type, at, actor}, {@code hash} when the
   * entry has one, {@code incarnation} for an enrolment's entry, and {@code change}.
   */
  public static ObjectNode item(HistoryItem item) {
    ObjectNode o = Envelope.JSON.createObjectNode();
    o.put("persistenceId", item.persistenceId());
    o.put("sequenceNr", item.sequenceNr());
    o.put("type", item.type());
    o.put("at", item.at().toString());
    o.put("actor", item.actor());
    if (item.hash() != null) {
      o.put("hash", item.hash());
    }
    if (item.incarnation() != null) {
      o.put("incarnation", item.incarnation());
    }
    o.set("change", item.change());
    return o;
  }

  /** {@code {"history": {"batchId", "enrollmentId"?, "persistenceId", "count", "events": [...], "next"}}}. */
  public static ObjectNode page(HistoryPage page, String batchId, EnrollmentId enrollmentId) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    ObjectNode history = result.putObject("history");
    history.put("batchId", batchId);
    if (enrollmentId != null) {
      history.put("enrollmentId", enrollmentId.toString());
    }
    history.put("persistenceId", page.persistenceId());
    history.put("count", page.items().size());
    ArrayNode events = history.putArray("events");
    page.items().forEach(i -> events.add(item(i)));
    if (page.next() == null) {
      history.putNull("next");
    } else {
      history.put("next", page.next());
    }
    return result;
  }

  /** The batch as batch read shows it ({@code response}), as it was {@code at}. */
  public static ObjectNode batchAt(BatchView view, Instant at) {
    ObjectNode result = Envelope.JSON.createObjectNode();
    result.set("response", BatchJson.view(view));
    result.put("at", at.toString());
    return result;
  }

  /** The enrolment as the enrolment read shows it ({@code enrollment}), as it was {@code at}. */
  public static ObjectNode enrollmentAt(FoundEnrollment found, Instant at) {
    ObjectNode result = BulkEnrollmentJson.enrollment(found);
    result.put("at", at.toString());
    return result;
  }
}
