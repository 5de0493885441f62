package org.coursebatch.core.batch;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.coursebatch.core.CborSerializable;

/**
 * A batch as a reader sees it at an instant: the recorded batch, the status the clock gives it and
 * {@code daysToGo} (whole days until the start, or until the end once started; null for an
 * open-ended batch in progress, 0 once ended).
 */
public record BatchView(Batch batch, BatchStatus status, Long daysToGo) implements CborSerializable {

  public static BatchView of(Batch batch, Instant now) {
    BatchStatus status = batch.statusAt(now);
    var today = batch.today(now);
    Long daysToGo = switch (status) {
      case UPCOMING -> ChronoUnit.DAYS.between(today, batch.startDate());
      case IN_PROGRESS -> batch.endDate() == null ? null : ChronoUnit.DAYS.between(today, batch.endDate());
      case ENDED -> 0L;
    };
    return new BatchView(batch, status, daysToGo);
  }
}
