package org.coursebatch.http.batch;

import java.util.List;

/** The {@code result} of each batch operation. */
public sealed interface BatchResult {

  /** Sunbird's word for a change that was made. */
  String SUCCESS = "SUCCESS";

  /** Created or updated: {@code {response: "SUCCESS", batchId}}. */
  record Saved(String response, String batchId) implements BatchResult {
    public static Saved of(String batchId) {
      return new Saved(SUCCESS, batchId);
    }
  }

  /** A certificate template added or removed: {@code {response: "SUCCESS"}}. */
  record TemplatesChanged(String response) implements BatchResult {
    static final TemplatesChanged DONE = new TemplatesChanged(SUCCESS);
  }

  /** Batch read: {@code {response: batch}}. */
  record Read(BatchDocument response) implements BatchResult {}

  /** Batch search: {@code {response: {count, content}}}. */
  record Search(Page response) implements BatchResult {}

  /**
   * One page of matches. {@code content} holds {@link BatchDocument}s, or, when the request lists
   * {@code fields}, JSON trees of just those fields: a record cannot leave out fields chosen per request.
   */
  record Page(long count, List<?> content) {}
}
