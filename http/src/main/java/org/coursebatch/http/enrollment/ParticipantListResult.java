package org.coursebatch.http.enrollment;

import java.util.List;

/** A batch's participants: {@code batch.count} and {@code batch.participants} (user ids). */
public record ParticipantListResult(Participants batch) {

  public record Participants(int count, List<String> participants) {}

  public static ParticipantListResult of(List<String> userIds) {
    return new ParticipantListResult(new Participants(userIds.size(), List.copyOf(userIds)));
  }
}
