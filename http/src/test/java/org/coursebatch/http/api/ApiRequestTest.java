package org.coursebatch.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.http.javadsl.model.HttpRequest;
import java.util.Map;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.RejectedException;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ApiRequestTest {

  private static final Caller PARENT = Caller.of("parent-1", "PUBLIC");

  @Test
  void theEffectiveUserIsTheManagedUserWhenThereIsOne() {
    var forChild = new ApiRequest(HttpRequest.create(), Map.of(), Optional.of(PARENT), Optional.of("child-1"), Optional.empty());
    assertEquals("child-1", forChild.effectiveUserId());
    assertEquals(PARENT, forChild.requireCaller());
    var own = new ApiRequest(HttpRequest.create(), Map.of(), Optional.of(PARENT), Optional.empty());
    assertEquals("parent-1", own.effectiveUserId());
  }

  @Test
  void withoutACallerThereIsNoEffectiveUser() {
    var anonymous = new ApiRequest(HttpRequest.create(), Map.of(), Optional.empty(), Optional.empty());
    Executable call = anonymous::effectiveUserId;
    var e = org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, call);
    assertEquals(ErrorCode.UNAUTHORIZED_USER, e.rejection().code());
  }
}
