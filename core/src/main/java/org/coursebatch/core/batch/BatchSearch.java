package org.coursebatch.core.batch;

import java.util.List;

/**
 * A batch search: every non-empty filter must match (a list filter matches any of its values),
 * then sorting and paging. The status filter is evaluated against the clock, not the last
 * recorded status.
 */
public record BatchSearch(
    List<String> batchIds,
    List<String> courseIds,
    List<BatchStatus> statuses,
    List<EnrollmentType> enrollmentTypes,
    List<String> createdBy,
    List<String> mentors,
    List<String> createdFor,
    int limit,
    int offset,
    List<Sort> sort) {

  public BatchSearch {
    batchIds = List.copyOf(batchIds);
    courseIds = List.copyOf(courseIds);
    statuses = List.copyOf(statuses);
    enrollmentTypes = List.copyOf(enrollmentTypes);
    createdBy = List.copyOf(createdBy);
    mentors = List.copyOf(mentors);
    createdFor = List.copyOf(createdFor);
    sort = List.copyOf(sort);
  }

  /** Fields a search can be sorted by, with their wire names. */
  public enum SortField {
    CREATED_DATE("createdDate"),
    UPDATED_DATE("updatedDate"),
    START_DATE("startDate"),
    END_DATE("endDate"),
    ENROLLMENT_END_DATE("enrollmentEndDate"),
    NAME("name");

    private final String wireName;

    SortField(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public record Sort(SortField field, boolean descending) {}

  /** One page of results and the total number of matches. */
  public record Page(long count, List<BatchView> content) {}
}
