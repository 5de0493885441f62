package org.coursebatch.core.enrollment.bulk;

/**
 * The metadata of one element of a form: what it is, whether it may or must be set, and its value
 * now (for an update form: the enrolment's current value).
 *
 * @param type the JSON type of the value: {@code string} or {@code boolean}
 */
public record FormField(String name, String type, boolean readOnly, boolean required, Object value, String description) {}
