package org.coursebatch.core;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A fixed ring of event tags ({@code prefix-0} … {@code prefix-(count-1)}), one read-side
 * projection instance each; a batch id always maps to the same tag. Changing {@code count} needs a
 * re-tag of the journal.
 */
public record EventTags(String prefix, int count) {

  public String tagFor(String batchId) {
    return prefix + "-" + Math.floorMod(batchId.hashCode(), count);
  }

  public List<String> all() {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
  }
}
