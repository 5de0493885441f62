package org.coursebatch.http.api;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result whose items are written as they arrive: {@code result.<field>} is the list of
 * {@code items} (response records, or JSON trees), followed by a summary of how many were
 * {@link Counted#successful() successful} and how many not.
 */
public record StreamedResult(String field, Source<?, NotUsed> items) {

  /** An item that counts as a success or a failure in the summary; others count in the total only. */
  public interface Counted {
    boolean successful();
  }

  /** Whether {@code item} succeeded; null when it does not say. */
  static Boolean successOf(Object item) {
    if (item instanceof Counted counted) {
      return counted.successful();
    }
    if (item instanceof JsonNode json && json.path("successful").isBoolean()) {
      return json.path("successful").booleanValue();
    }
    return null;
  }
}
