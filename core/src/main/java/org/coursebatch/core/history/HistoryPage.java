package org.coursebatch.core.history;

import java.util.List;

/**
 * A page of an entity's journal, oldest entry first.
 *
 * @param next the sequence number the next page starts at, or null when this page holds the last entry
 */
public record HistoryPage(String persistenceId, List<HistoryItem> items, Long next) {

  public HistoryPage {
    items = List.copyOf(items);
  }
}
