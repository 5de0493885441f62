package org.coursebatch.core.group;

import akka.Done;
import java.util.concurrent.CompletionStage;

/** Maintains the built-in groups store (standalone mode). */
public interface GroupsAdmin {

  /** Records the group with exactly these members, replacing any group of the same id. */
  CompletionStage<Done> putGroup(Group group, String actor);
}
