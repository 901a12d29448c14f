package dev.switchboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one scenario against one server, or why there are none. */
final class Result {
  final Map<String, Double> figures = new LinkedHashMap<>();
  String unavailable;
  String note;

  static Result unavailable(String why) {
    Result result = new Result();
    result.unavailable = why;
    return result;
  }

  Result put(String metric, double value) {
    figures.put(metric, value);
    return this;
  }

  /** Puts {@code value} unless it is null (a figure the run had nothing to measure for). */
  Result putIfPresent(String metric, Double value) {
    if (value != null) {
      figures.put(metric, value);
    }
    return this;
  }

  @Override
  public String toString() {
    if (unavailable != null) {
      return "not available: " + unavailable;
    }
    StringBuilder s = new StringBuilder();
    figures.forEach((metric, value) -> s.append(s.length() == 0 ? "" : ", ").append(metric).append(' ')
        .append(Report.format(value)));
    if (note != null) {
      s.append(" (").append(note).append(')');
    }
    return s.toString();
  }
}
