package org.coursebatch.core.identity;

import java.util.List;
import java.util.Locale;
import org.coursebatch.core.CborSerializable;

/** The authenticated user on whose behalf a command runs: a user id and the roles from the token. */
public record Caller(String userId, List<String> roles) implements CborSerializable {

  public Caller {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public static Caller of(String userId, String... roles) {
    return new Caller(userId, List.of(roles));
  }

  public boolean hasAnyRole(List<String> wanted) {
    return roles.stream().anyMatch(r -> wanted.stream().anyMatch(w -> w.equalsIgnoreCase(r.toUpperCase(Locale.ROOT))));
  }
}
