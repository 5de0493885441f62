package org.coursebatch.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.coursebatch.core.access.Operation;

/**
 * docs/security.md's authorization table: one row per {@link Operation}, one column per
 * {@link Identity}, each cell yes or no. The policy test renders it from the access policy and
 * compares; the HTTP matrix test reads it and checks every route against it.
 */
public final class AuthorizationTable {

  public static final String START = "<!-- authorization-table:start -->";
  public static final String END = "<!-- authorization-table:end -->";
  /** docs/security.md from a module's directory, where the tests run. */
  public static final Path DOCUMENT = Path.of("../docs/security.md");

  public static final String ORG_A = "org-a";
  public static final String ORG_B = "org-b";
  public static final String CUSTODIAN_ORG = "org-custodian";

  /**
   * Who asks, in the table's column order: user id, roles and root organisation (the learner's
   * organisation is A; anonymous has no token). The enrolled learner is the learner acted on.
   */
  public enum Identity {
    ANONYMOUS("anonymous", null, List.of(), null),
    NO_ROLE("no role", "matrix-no-role", List.of(), ORG_A),
    ENROLLED_LEARNER("enrolled learner", "matrix-learner", List.of(), ORG_A),
    ANOTHER_LEARNER("another learner", "matrix-other-learner", List.of(), ORG_A),
    MENTOR("mentor", "matrix-mentor", List.of("COURSE_MENTOR"), ORG_A),
    CREATOR("creator", "matrix-creator", List.of("CONTENT_CREATOR"), ORG_A),
    OTHER_ORG_CREATOR("creator of another org", "matrix-creator-b", List.of("CONTENT_CREATOR"), ORG_B),
    ORG_ADMIN("org admin (learner's org)", "matrix-org-admin", List.of("ORG_ADMIN"), ORG_A),
    OTHER_ORG_ADMIN("org admin (another org)", "matrix-org-admin-b", List.of("ORG_ADMIN"), ORG_B),
    SYSTEM_ADMIN("system admin", "matrix-system-admin", List.of("SYSTEM_ADMINISTRATION"), CUSTODIAN_ORG),
    AUDITOR("auditor", "matrix-auditor", List.of("AUDITOR"), ORG_A);

    private final String column;
    private final String userId;
    private final List<String> roles;
    private final String rootOrgId;

    Identity(String column, String userId, List<String> roles, String rootOrgId) {
      this.column = column;
      this.userId = userId;
      this.roles = roles;
      this.rootOrgId = rootOrgId;
    }

    public String column() {
      return column;
    }

    /** Null for anonymous. */
    public String userId() {
      return userId;
    }

    public List<String> roles() {
      return roles;
    }

    public Optional<String> rootOrgId() {
      return Optional.ofNullable(rootOrgId);
    }
  }

  private final Map<Operation, Map<Identity, Boolean>> cells;

  public AuthorizationTable(Map<Operation, Map<Identity, Boolean>> cells) {
    this.cells = new EnumMap<>(Operation.class);
    cells.forEach((op, row) -> this.cells.put(op, new EnumMap<>(row)));
  }

  /** Whether {@code who} may do {@code op} (the table's cell). */
  public boolean allows(Operation op, Identity who) {
    Boolean cell = cells.getOrDefault(op, Map.of()).get(who);
    if (cell == null) {
      throw new IllegalArgumentException("The table has no cell for " + op + " and " + who.column());
    }
    return cell;
  }

  /** The table as markdown, to go between the markers. */
  public String render() {
    List<String> lines = new ArrayList<>();
    lines.add("| operation | what | " + Arrays.stream(Identity.values()).map(Identity::column).collect(Collectors.joining(" | ")) + " |");
    lines.add("|---|---|" + "---|".repeat(Identity.values().length));
    for (Operation op : Operation.values()) {
      StringBuilder row = new StringBuilder("| `" + op.name() + "` | " + op.description() + " |");
      for (Identity who : Identity.values()) {
        row.append(' ').append(allows(op, who) ? "yes" : "no").append(" |");
      }
      lines.add(row.toString());
    }
    return String.join("\n", lines);
  }

  /** The text between the markers of {@code document}, trimmed. */
  public static String between(String document) {
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("No " + START + " ... " + END + " in the document");
    }
    return document.substring(start + START.length(), end).strip();
  }

  /** The table of docs/security.md. */
  public static AuthorizationTable read() {
    try {
      return parse(between(Files.readString(DOCUMENT)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a rendered table: a row per operation, named in backticks, cells in the column order. */
  public static AuthorizationTable parse(String markdown) {
    Map<Operation, Map<Identity, Boolean>> cells = new EnumMap<>(Operation.class);
    for (String line : markdown.split("\n")) {
      String[] parts = line.strip().split("\\|", -1);
      if (parts.length < 3 || !parts[1].strip().startsWith("`")) {
        continue; // the header and the separator
      }
      Operation op = Operation.valueOf(parts[1].strip().replace("`", ""));
      Identity[] columns = Identity.values();
      if (parts.length != columns.length + 4) {
        throw new IllegalArgumentException("Row " + op + " has " + (parts.length - 4) + " cells, not " + columns.length);
      }
      Map<Identity, Boolean> row = new EnumMap<>(Identity.class);
      for (int i = 0; i < columns.length; i++) {
        String cell = parts[i + 3].strip();
        if (!cell.equals("yes") && !cell.equals("no")) {
          throw new IllegalArgumentException("Row " + op + ", " + columns[i].column() + ": " + cell);
        }
        row.put(columns[i], cell.equals("yes"));
      }
      cells.put(op, row);
    }
    for (Operation op : Operation.values()) {
      if (!cells.containsKey(op)) {
        throw new IllegalArgumentException("The table has no row for " + op);
      }
    }
    return new AuthorizationTable(cells);
  }
}
