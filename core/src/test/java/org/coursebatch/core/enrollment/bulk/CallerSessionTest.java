package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.CREATOR;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.LEARNERS;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.OUTSIDER;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.STRANGER;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.UNKNOWN;
import static org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.PROGRESS_RECORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.Participation;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CallerSessionTest {

  private static final int MAX_ITEMS = 3;

  private static BulkAdminCluster cluster;
  private static EnrollmentBatchAdmin.Parts parts;

  @BeforeAll
  static void start() {
    cluster = BulkAdminCluster.start("CallerSessionTest");
    parts = cluster.parts(MAX_ITEMS, 4);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static CallerSession sessionOf(Caller caller) {
    return new CallerSession(parts, caller, ClientRequest.none());
  }

  private static List<EnrollmentPeer> peers(String batchId, String... userIds) {
    return Arrays.stream(userIds).map(u -> new EnrollmentPeer(batchId, u)).toList();
  }

  @Test
  void createFormsComeOnePerPeerInOrderUpToTheLimit() {
    String batchId = cluster.newBatch();
    List<EnrollmentForm> forms = cluster.await(sessionOf(CREATOR).getEnrollmentFormsForCreate(
        peers(batchId, LEARNERS.get(2), LEARNERS.get(0), LEARNERS.get(1)), List.of(PROGRESS_RECORD, PROGRESS_RECORD)));
    assertEquals(List.of(LEARNERS.get(2), LEARNERS.get(0), LEARNERS.get(1)), forms.stream().map(EnrollmentForm::userId).toList());
    assertTrue(forms.stream().allMatch(f -> f.batchId().equals(batchId) && f.kind() == EnrollmentForm.Kind.CREATE
        && f.recordTypes().equals(List.of(PROGRESS_RECORD)) && f.token() != null));
    assertEquals(ErrorCode.TOO_MANY_ITEMS, cluster.refusal(sessionOf(CREATOR).getEnrollmentFormsForCreate(
        peers(batchId, LEARNERS.get(0), LEARNERS.get(1), LEARNERS.get(2), "learner-4"), List.of())).code());
  }

  @Test
  void createFormsNeedWellFormedPeersAndKnownRecordTypes() {
    String batchId = cluster.newBatch();
    var session = sessionOf(CREATOR);
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(session.getEnrollmentFormsForCreate(peers(batchId, LEARNERS.get(0)), null)).code());
    var blank = cluster.refusal(session.getEnrollmentFormsForCreate(peers(batchId, LEARNERS.get(0), " "), List.of()));
    assertEquals(ErrorCode.NULL_ARGUMENT, blank.code());
    assertTrue(blank.message().contains("peers[1].userId"), blank.message());
    assertEquals(ErrorCode.UNSUPPORTED_RECORD_TYPES, cluster.refusal(session.getEnrollmentFormsForCreate(peers(batchId, LEARNERS.get(0)),
        List.of(PROGRESS_RECORD, "grades@elsewhere"))).code());
  }

  @Test
  void createFormsNeedEveryBatchToExistAndBeAdministeredAndAuthorityOverEveryKnownLearner() {
    String batchId = cluster.newBatch();
    assertEquals(ErrorCode.UNKNOWN_IDS, cluster.refusal(sessionOf(CREATOR).getEnrollmentFormsForCreate(
        List.of(new EnrollmentPeer(batchId, LEARNERS.get(0)), new EnrollmentPeer("0139-gone", LEARNERS.get(0))), List.of())).code());
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(sessionOf(OUTSIDER).getEnrollmentFormsForCreate(
        peers(batchId, LEARNERS.get(0)), List.of())).code());
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(sessionOf(CREATOR).getEnrollmentFormsForCreate(
        peers(batchId, LEARNERS.get(0), STRANGER), List.of())).code());
  }

  @Test
  void eachCreateFormEnrolsItsLearnerOrFailsAlone() {
    String batchId = cluster.newBatch();
    List<EnrollmentForm> forms = cluster.await(sessionOf(CREATOR).getEnrollmentFormsForCreate(
        peers(batchId, LEARNERS.get(0), UNKNOWN), List.of(PROGRESS_RECORD)));
    List<EnrollmentForm> submitted = List.of(EnrollmentForm.submitted(forms.get(0).token(), null),
        EnrollmentForm.submitted(forms.get(1).token(), null), EnrollmentForm.submitted("not-a-token", null));
    Map<String, CreateResponse> out = keyed(cluster.all(sessionOf(CREATOR).createEnrollments(submitted)), CreateResponse::formId);
    CreateResponse enrolled = out.get(forms.get(0).id());
    assertNull(enrolled.error());
    assertEquals(Participation.ACTIVE, enrolled.participation());
    assertNotNull(enrolled.progress());
    EnrollmentId id = EnrollmentId.parse(enrolled.enrollmentId()).orElseThrow();
    assertEquals(Optional.of(id), cluster.await(cluster.enrollments.enrollment(batchId, LEARNERS.get(0))).id());
    assertEquals(ErrorCode.USER_NOT_FOUND, out.get(forms.get(1).id()).error().code());
    assertEquals(ErrorCode.FORM_INVALID, out.get(null).error().code());
    assertEquals(3, out.size());
  }

  @Test
  void formsOfABatchTheCallerDoesNotAdministerAreRefusedWhole() {
    String batchId = cluster.newBatch();
    List<EnrollmentForm> forms = cluster.await(sessionOf(CREATOR).getEnrollmentFormsForCreate(peers(batchId, LEARNERS.get(1)), List.of()));
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(sessionOf(OUTSIDER).createEnrollments(
        List.of(EnrollmentForm.submitted(forms.get(0).token(), null)))).code());
    assertEquals(Participation.NONE, cluster.await(cluster.enrollments.enrollment(batchId, LEARNERS.get(1))).participation());
  }

  @Test
  void anUpdateFormSetsWhetherTheEnrolmentIsActiveAndNeedsAValue() {
    String batchId = cluster.newBatch();
    EnrollmentId id = cluster.enrol(batchId, LEARNERS.get(2));
    List<EnrollmentForm> forms = cluster.await(sessionOf(CREATOR).getEnrollmentFormsForUpdate(List.of(id.toString())));
    assertEquals(List.of(id.toString()), forms.stream().map(EnrollmentForm::enrollmentId).toList());
    String token = forms.get(0).token();
    UpdateResponse unset = cluster.all(sessionOf(CREATOR).updateEnrollments(List.of(EnrollmentForm.submitted(token, null)))).get(0);
    assertEquals(ErrorCode.NULL_ARGUMENT, unset.error().code());
    assertEquals(Participation.ACTIVE, cluster.await(cluster.enrollments.enrollment(batchId, LEARNERS.get(2))).participation());
    UpdateResponse left = cluster.all(sessionOf(CREATOR).updateEnrollments(List.of(EnrollmentForm.submitted(token, false)))).get(0);
    assertNull(left.error());
    assertEquals(id.toString(), left.enrollmentId());
    assertEquals(Participation.INACTIVE, left.participation());
  }

  @Test
  void updateFormsAreForEnrolmentsThatExistUpToTheLimit() {
    String batchId = cluster.newBatch();
    EnrollmentId id = cluster.enrol(batchId, LEARNERS.get(0));
    String missing = new EnrollmentId(batchId, LEARNERS.get(1), 1).toString();
    var unknown = cluster.refusal(sessionOf(CREATOR).getEnrollmentFormsForUpdate(List.of(id.toString(), missing)));
    assertEquals(ErrorCode.UNKNOWN_IDS, unknown.code());
    assertTrue(unknown.message().contains(missing) && !unknown.message().contains(id.toString()), unknown.message());
    assertEquals(ErrorCode.TOO_MANY_ITEMS, cluster.refusal(sessionOf(CREATOR).getEnrollmentFormsForUpdate(
        List.of(id.toString(), id.toString(), id.toString(), id.toString()))).code());
    assertEquals(MAX_ITEMS, cluster.await(sessionOf(CREATOR).getEnrollmentFormsForUpdate(
        List.of(id.toString(), id.toString(), id.toString()))).size());
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(sessionOf(OUTSIDER).getEnrollmentFormsForUpdate(List.of(id.toString()))).code());
  }

  @Test
  void eachAliasRequestIsAppliedOrFailsAlone() {
    String batchId = cluster.newBatch();
    EnrollmentId id = cluster.enrol(batchId, LEARNERS.get(1));
    String alias = "sis-" + System.nanoTime();
    String missing = new EnrollmentId(batchId, "never-enrolled", 1).toString();
    List<AliasResponse> out = cluster.all(sessionOf(CREATOR).aliasEnrollments(List.of(
        new AliasRequest(id.toString(), alias), new AliasRequest(id.toString(), "b:u:1"), new AliasRequest(missing, alias + "-2"))));
    Map<String, AliasResponse> byAlias = keyed(out, AliasResponse::aliasId);
    assertEquals(new AliasResponse(alias, id.toString(), null, null), byAlias.get(alias));
    assertEquals(ErrorCode.ALIAS_INVALID, byAlias.get("b:u:1").error().code());
    assertEquals(ErrorCode.ENROLLMENT_NOT_FOUND, byAlias.get(alias + "-2").error().code());
    assertEquals(Optional.of(id), cluster.await(cluster.resolver.resolve(alias)));
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.resolve(alias + "-2")));
  }

  @Test
  void aliasRequestsAreCountedAndNeedATargetAndTheTargetsBatchAdministered() {
    String batchId = cluster.newBatch();
    EnrollmentId id = cluster.enrol(batchId, LEARNERS.get(0));
    var one = new AliasRequest(id.toString(), "x");
    assertEquals(ErrorCode.TOO_MANY_ITEMS, cluster.refusal(sessionOf(CREATOR).aliasEnrollments(List.of(one, one, one, one))).code());
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(sessionOf(CREATOR).aliasEnrollments(List.of(new AliasRequest(" ", "x")))).code());
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(sessionOf(OUTSIDER).aliasEnrollments(List.of(one))).code());
  }

  /** Responses come as items finish: keyed to compare (null: a form whose token could not be read). */
  private static <R> Map<String, R> keyed(List<R> out, Function<R, String> key) {
    Map<String, R> byKey = new HashMap<>();
    out.forEach(r -> byKey.put(key.apply(r), r));
    return byKey;
  }
}
