package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md's close-code table: every code the broker closes with, each listed once. */
class CloseCodeDocsTest {

  @Test
  void theTableListsEveryCodeTheBrokerSendsExactlyOnce() throws Exception {
    String docs = Files.readString(Path.of("docs/protocol.md"));
    int table = docs.indexOf("### Close codes");
    String section = docs.substring(table, docs.indexOf("\n#", table + 1));
    List<Integer> listed = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| (\\d{4}) \\|").matcher(section);
    while (row.find()) {
      listed.add(Integer.parseInt(row.group(1)));
    }
    Set<Integer> sent = new TreeSet<>();
    for (CloseReason reason : CloseReason.values()) {
      sent.add((int) reason.code());
    }
    assertEquals(List.copyOf(new TreeSet<>(listed)), listed.stream().sorted().toList(),
        "a code is listed more than once: " + listed);
    assertEquals(sent, new TreeSet<>(listed));
  }
}
