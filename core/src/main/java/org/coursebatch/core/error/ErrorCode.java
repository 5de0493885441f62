package org.coursebatch.core.error;

import java.text.MessageFormat;

/**
 * Error codes with their messages. Codes and texts follow the Sunbird course-batch API (including
 * its spellings, e.g. {@code DATE_FORMAT_ERRROR}) so existing clients keep matching on them.
 */
public enum ErrorCode {
  MANDATORY_PARAMETER_MISSING("MANDATORY_PARAMETER_MISSING", "Mandatory parameter {0} is missing."),
  INVALID_PARAMETER_VALUE("INVALID_PARAMETER_VALUE", "Invalid value {0} for parameter {1}. Please provide a valid value."),
  VALUE_TOO_LONG("INVALID_PARAMETER_VALUE", "Parameter {0} is at most {1} characters; {2} were given."),
  DATA_TYPE_ERROR("DATA_TYPE_ERROR", "Data type of {0} should be {1}."),
  DATE_FORMAT_ERROR("DATE_FORMAT_ERRROR", "Date format error."),
  DATE_OUT_OF_RANGE("DATE_FORMAT_ERRROR", "Parameter {0} is {1}; dates from {2} to {3} are taken."),
  INVALID_REQUEST_PARAMETER("INVALID_REQUEST_PARAMETER", "Invalid parameter {0} in request."),
  INVALID_REQUESTED_DATA("INVALID_REQUESTED_DATA", "Requested data for this operation is not valid."),
  INVALID_PROGRESS_STATUS("INVALID_PROGRESS_STATUS", "Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2)."),
  INVALID_PROPERTY_ERROR("INVALID_PROPERTY_ERROR", "Invalid property for {0}."),
  INVALID_DATA("INVALID_DATA", "Signatory list missing attribute"),

  COURSE_BATCH_START_DATE_INVALID("COURSE_BATCH_START_DATE_INVALID", "Batch start date should be either today or future date."),
  END_DATE_ERROR("END_DATE_ERROR", "End date should be greater than start date."),
  ENROLLMENT_END_DATE_START_ERROR("ENROLLMENT_END_DATE_START_ERROR", "Enrollment End date should be greater than course batch start date."),
  ENROLLMENT_END_DATE_END_ERROR("ENROLLMENT_END_DATE_END_ERROR", "Enrollment End date should be lesser than course batch end date."),
  ENROLLMENT_END_DATE_UPDATE_ERROR("ENROLLMENT_END_DATE_UPDATE_ERROR", "Invalid Enrollment End date. Please provide future date."),
  INVALID_BATCH_START_DATE_ERROR("INVALID_BATCH_START_DATE_ERROR", "Please provide valid Start Date."),
  INVALID_BATCH_END_DATE_ERROR("INVALID_BATCH_END_DATE_ERROR", "Please provide valid End Date."),
  COURSE_BATCH_END_DATE_ERROR("COURSE_BATCH_END_DATE_ERROR", "Batch has been closed."),

  INVALID_COURSE_ID("INVALID_COURSE_ID", "Course doesnot exist. Please provide a valid course identifier"),
  COURSE_NOT_TRACKABLE("INVALID_COURSE_ID", "Course {0} is not trackable (trackable.enabled is not Yes); batches can only be created for trackable courses."),
  COURSE_NOT_PUBLISHED("INVALID_COURSE_ID", "Course {0} has status {1}; batches can only be created for Live or Unlisted courses with at least one content."),
  INVALID_COURSE_BATCH_ID("INVALID_COURSE_BATCH_ID", "Invalid course batch id "),
  BATCH_NOT_FOUND("BATCH_NOT_FOUND", "Batch {0} does not exist.", ResponseCode.RESOURCE_NOT_FOUND),
  BATCH_ID_TAKEN("INVALID_REQUESTED_DATA", "Batch id {0} is already taken."),
  NO_SUCH_BATCH("CLIENT_ERROR", "No such batchId exists"),
  BATCH_NOT_LINKED_TO_COURSE("CLIENT_ERROR", "batchId is not linked with courseId"),
  NO_CERTIFICATE_TEMPLATES("CLIENT_ERROR", "No certificate templates associated with {0}"),
  INVALID_TEMPLATE_ID("CLIENT_ERROR", "Invalid template Id: {0}"),
  TEMPLATE_ISSUER_MISSING("CLIENT_ERROR", "Issuer or signatoryList is empty. Invalid template Id: {0}"),
  CATALOG_ITEM_NOT_FOUND("RESOURCE_NOT_FOUND", "{0} {1} is not registered in the catalog.", ResponseCode.RESOURCE_NOT_FOUND),
  // With a content service configured, courses and templates are registered there, not here.
  CATALOG_READ_ONLY("CATALOG_READ_ONLY", "{0} come from the content service at {1}; register or change them there, where this service reads them."),
  CONTENT_SERVICE_UNAVAILABLE("SERVICE_UNAVAILABLE", "Error while fetching course details: the content service is unavailable ({0}); please retry.", ResponseCode.SERVICE_UNAVAILABLE),
  USER_PROFILE_NOT_FOUND("RESOURCE_NOT_FOUND", "User {0} has no profile in the user directory.", ResponseCode.RESOURCE_NOT_FOUND),
  // The user directory's profile checks and consent API: Sunbird's (user service) codes.
  EMAIL_FORMAT_ERROR("EMAIL_FORMAT_ERROR", "Email is invalid."),
  INVALID_PHONE_NO_FORMAT("INVALID_PHONE_NO_FORMAT", "Please provide a valid phone number."),
  INVALID_CONSENT_STATUS("INVALID_CONSENT_STATUS", "Consent status {0} is invalid; use ACTIVE or REVOKED."),
  USER_CONSENT_NOT_FOUND("USER_CONSENT_NOT_FOUND", "User consent not found.", ResponseCode.RESOURCE_NOT_FOUND),

  COURSE_BATCH_ALREADY_COMPLETED("COURSE_BATCH_ALREADY_COMPLETED", "Course batch is already completed."),
  COURSE_BATCH_ENROLLMENT_DATE_ENDED("COURSE_BATCH_ENROLLMENT_DATE_ENDED", "Course batch enrollment date has ended."),
  USER_ALREADY_ENROLLED_COURSE("USER_ALREADY_ENROLLED_COURSE", "User has already Enrolled this course ."),
  USER_NOT_ENROLLED_COURSE("USER_NOT_ENROLLED_COURSE", "User is not enrolled to given course batch."),
  USER_ALREADY_WAITLISTED("USER_ALREADY_WAITLISTED", "User is already on the waitlist of this batch, at position {0}."),
  BATCH_INVITE_ONLY("INVITE_ONLY_BATCH", "This batch is invite-only: ask its creator or a mentor to add you as a participant."),
  CAPACITY_FIXED_AT_CREATION("INVALID_REQUEST_PARAMETER", "maxParticipants can only be set when a batch is created; this batch was created without a capacity."),
  NO_ENROLMENT_FOUND("INVALID_REQUESTED_DATA", "No Enrolment found for userId: {0}, batchId: {1}, courseId: {2}"),
  // Sunbird's content-state validator (RequestValidator.validateUpdateContent), texts and spacing as it has them.
  COURSE_ID_REQUIRED_ERROR("COURSE_ID_REQUIRED_ERROR", "Course id is mandatory."),
  CONTENT_ID_REQUIRED_ERROR("CONTENT_ID_REQUIRED_ERROR", "Content id is mandatory."),
  CONTENT_STATUS_MISSING_ERROR("CONTENT_STATUS_MISSING_ERROR", "content status is required ."),
  ATTEMPTED_DATE_REQUIRED("ATTEMPTED_DATE_REQUIRED", "Attempted data is required."),
  ATTEMPT_ID_REQUIRED_ERROR("ATTEMPT_ID_REQUIRED_ERROR", "Please provide attempt id."),
  // Also the participant add/remove validator, which our participants extension keeps.
  COURSE_BATCH_ID_MISSING("COURSE_BATCH_ID_MISSING", "Course batch Id required"),
  USERID_MISSING("USERID_MISSING", "UserId is mandatory."),
  USER_ID_MISMATCH("INVALID_REQUESTED_DATA", "Progress can only be recorded for the requesting user {0}; {1} names another user."),

  // Bulk enrolment administration: the OSID error names, and the per-form outcomes.
  NULL_ARGUMENT("NULL_ARGUMENT", "{0} is required."),
  UNKNOWN_IDS("NOT_FOUND", "Not found: {0}.", ResponseCode.RESOURCE_NOT_FOUND),
  ENROLLMENT_NOT_FOUND("NOT_FOUND", "Enrollment {0} does not exist.", ResponseCode.RESOURCE_NOT_FOUND),
  PERMISSION_DENIED("PERMISSION_DENIED", "{0}", ResponseCode.FORBIDDEN),
  UNSUPPORTED_RECORD_TYPES("UNSUPPORTED", "Record types {0} are not supported; supported: {1}."),
  OPERATION_FAILED("OPERATION_FAILED", "{0}", ResponseCode.SERVICE_UNAVAILABLE),
  TOO_MANY_ITEMS("TOO_MANY_ITEMS", "One request may carry at most {0} items; this one has {1}."),
  FORM_INVALID("FORM_INVALID", "{0}"),
  FORM_EXPIRED("FORM_EXPIRED", "Form {0} expired at {1}; request a new form."),
  FORM_ALREADY_USED("FORM_ALREADY_USED", "Form {0} was already used; request a new form."),
  ALIAS_INVALID("INVALID_ALIAS", "{0}"),

  // Group activity aggregates: Sunbird's validator codes, then the groups service's answers.
  GROUP_ID_MISSING("GROUP_ID_MISSING", "GroupId is mandatory."),
  ACTIVITY_ID_MISSING("ACTIVITY_ID_MISSING", "ActivityId is mandatory."),
  ACTIVITY_TYPE_MISSING("ACTIVITY_TYPE_MISSING", "ActivityType is mandatory."),
  UNSUPPORTED_ACTIVITY_TYPE("INVALID_PARAMETER_VALUE", "Activity type {0} is not supported; supported: {1}."),
  GROUP_NOT_FOUND("GROUP_NOT_FOUND", "Group {0} does not exist.", ResponseCode.RESOURCE_NOT_FOUND),
  GROUPS_SERVICE_UNAVAILABLE("SERVICE_UNAVAILABLE", "Error while fetching group members record: the groups service is unavailable ({0}); please retry.", ResponseCode.SERVICE_UNAVAILABLE),

  // The user service (users, root organisations, consent) when one is configured.
  USER_NOT_FOUND("USER_NOT_FOUND", "user not found. User {0} does not exist.", ResponseCode.RESOURCE_NOT_FOUND),
  USER_SERVICE_UNAVAILABLE("SERVICE_UNAVAILABLE", "Error while fetching user details: the user service is unavailable ({0}); please retry.", ResponseCode.SERVICE_UNAVAILABLE),
  USERS_IN_USER_SERVICE("NOT_SUPPORTED", "Not Supported. Users, their organisations and consents come from the user service of this deployment; {0} them there."),

  // Exhaust reports (job requests).
  USER_CONSENT_NOT_REQUESTED("CLIENT_ERROR", "Invalid request. User info exhaust is not applicable for collections which don't request for user consent to share data"),
  JOB_NOT_FOUND("RESOURCE_NOT_FOUND", "Job request {0} does not exist.", ResponseCode.RESOURCE_NOT_FOUND),
  JOB_FILE_NOT_AVAILABLE("FILE_NOT_AVAILABLE", "Job request {0} has no file to download: {1}.", ResponseCode.RESOURCE_NOT_FOUND),

  // Journal history and state at an instant (GET .../history).
  INVALID_INSTANT("DATE_FORMAT_ERRROR", "Parameter {0} must be an ISO-8601 instant such as 2024-05-01T10:15:30Z; {1} is not one."),
  INSTANT_IN_FUTURE("INVALID_PARAMETER_VALUE", "Parameter {0} is {1}, later than now ({2}): the journal only tells what has happened."),
  NUMBER_OUT_OF_RANGE("INVALID_PARAMETER_VALUE", "Parameter {0} must be a whole number {1}; {2} is not."),
  BATCH_ABSENT_AT("BATCH_NOT_FOUND", "Batch {0} did not exist at {1}.", ResponseCode.RESOURCE_NOT_FOUND),
  ENROLLMENT_ABSENT_AT("NOT_FOUND", "Enrollment {0} did not exist at {1}.", ResponseCode.RESOURCE_NOT_FOUND),

  UNAUTHORIZED_USER("UNAUTHORIZED_USER", "You are not authorized.", ResponseCode.UNAUTHORIZED),
  FORBIDDEN("FORBIDDEN", "{0}", ResponseCode.FORBIDDEN),
  NOT_FOUND("RESOURCE_NOT_FOUND", "No such resource: {0}", ResponseCode.RESOURCE_NOT_FOUND),
  METHOD_NOT_ALLOWED("METHOD_NOT_ALLOWED", "Method {0} is not allowed here; use {1}.", ResponseCode.METHOD_NOT_ALLOWED),
  REQUEST_TOO_LARGE("REQUEST_TOO_LARGE", "Request body is larger than the limit of {0} bytes.", ResponseCode.REQUEST_ENTITY_TOO_LARGE),
  // What HTTP itself refuses before a route reads the request: the request line, headers, body framing.
  MALFORMED_REQUEST("INVALID_REQUESTED_DATA", "The request is not well-formed HTTP: {0}. {1}"),
  REQUEST_TIMEOUT("REQUEST_TIMEOUT", "The request body did not arrive within {0}; send the whole body without pausing.", ResponseCode.REQUEST_TIMEOUT),
  URI_TOO_LONG("ERROR_MAX_SIZE_EXCEEDED", "Size of the request URI exceeds max limit {0} characters; shorten the path and query.", ResponseCode.URI_TOO_LONG),
  HEADERS_TOO_LARGE("ERROR_MAX_SIZE_EXCEEDED", "Size of the request headers exceeds max limit: {0}. Send fewer or shorter headers.", ResponseCode.REQUEST_HEADER_FIELDS_TOO_LARGE),
  UNSUPPORTED_CONTENT_TYPE("CONTENT_TYPE_ERROR", "Please add Content-Type header with value application/json; this body was sent as {0}.", ResponseCode.UNSUPPORTED_MEDIA_TYPE),
  JSON_TOO_DEEP("INVALID_REQUESTED_DATA", "Request body nests arrays and objects more than {0} levels deep."),
  JSON_NUMBER_TOO_LONG("INVALID_REQUESTED_DATA", "Request body has a number of {0} characters; numbers are at most {1}."),
  JSON_STRING_TOO_LONG("INVALID_REQUESTED_DATA", "Request body has a string of more than {0} characters."),
  JSON_NAME_TOO_LONG("INVALID_REQUESTED_DATA", "Request body has a property name of more than {0} characters."),
  INTERNAL_ERROR("INTERNAL_ERROR", "Process failed,please try again later.", ResponseCode.SERVER_ERROR),
  SERVICE_UNAVAILABLE("SERVICE_UNAVAILABLE", "The service is busy or a dependency did not answer in time; please retry.", ResponseCode.SERVICE_UNAVAILABLE);

  private final String code;
  private final String template;
  private final ResponseCode responseCode;

  ErrorCode(String code, String template) {
    this(code, template, ResponseCode.CLIENT_ERROR);
  }

  ErrorCode(String code, String template, ResponseCode responseCode) {
    this.code = code;
    this.template = template;
    this.responseCode = responseCode;
  }

  /** The wire code, as sent in {@code params.err}. */
  public String code() {
    return code;
  }

  public ResponseCode responseCode() {
    return responseCode;
  }

  /** A rejection with this code and its message filled with the given arguments. */
  public Rejection reject(Object... args) {
    // Arguments as plain strings: MessageFormat would print 1001 as "1,001" (or "1.001", by locale).
    Object[] plain = java.util.Arrays.stream(args).map(String::valueOf).toArray();
    String message = args.length == 0 ? template : MessageFormat.format(template.replace("'", "''"), plain);
    return new Rejection(this, message);
  }
}
