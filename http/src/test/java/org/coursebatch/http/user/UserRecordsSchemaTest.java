package org.coursebatch.http.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The user directory records write what openapi.yaml documents. */
class UserRecordsSchemaTest {

  private static final OpenApiExamples DOC = OpenApiExamples.load();

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of(UserResult.ProfileStored.class, "UserProfileStoredResult"),
        Arguments.of(UserResult.ProfileRead.class, "UserProfileReadResult"),
        Arguments.of(UserResult.Profile.class, "UserProfile"),
        Arguments.of(UserResult.ProfileErased.class, "UserProfileErasedResult"),
        Arguments.of(UserResult.ConsentUpdated.class, "UserConsentUpdatedResult"),
        Arguments.of(UserResult.ConsentOf.class, "UserConsentUpdatedResult/properties/consent"),
        Arguments.of(UserResult.Consents.class, "UserConsentReadResult"),
        Arguments.of(UserResult.ConsentDocument.class, "UserConsent"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("records")
  void writesItsSchemasProperties(Class<?> record, String schema) {
    DOC.assertRecordMatchesSchema(record, schema);
  }

  /** A profile is written with every field a PUT takes, in the order of UserProfile.Field, after userId. */
  @Test
  void aProfileWritesEveryFieldInTheOrderOfTheFields() {
    List<String> expected = new ArrayList<>(List.of("userId"));
    for (UserProfile.Field f : UserProfile.Field.values()) {
      expected.add(f.key());
    }
    List<String> written = new ArrayList<>();
    Envelope.JSON.getSerializationConfig().introspect(Envelope.JSON.constructType(UserResult.Profile.class))
        .findProperties().forEach(p -> written.add(p.getName()));
    assertEquals(expected, written);
  }
}
