package dev.switchboard.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Whether the broker should be sent new peers: not while it starts, not while it drains for a
 * shutdown, and not while a dependency it needs (an auth backend) is known to be down.
 */
public final class Readiness {
  /** The broker's lifecycle as load balancers see it. */
  public enum State { STARTING, READY, DRAINING }

  /** A dependency check: {@code name} is reported when {@code up} answers false. */
  private record Check(String name, BooleanSupplier up) {
  }

  private final List<Check> checks = new CopyOnWriteArrayList<>();
  private volatile State state = State.STARTING;

  /** The answer to {@code GET /ready}: ready or not, and why not. */
  public record Status(boolean ready, String state, String reason) {
  }

  public void ready() {
    if (state == State.STARTING) {
      state = State.READY;
    }
  }

  public void draining() {
    state = State.DRAINING;
  }

  public State state() {
    return state;
  }

  /** Adds a dependency that must be up for the broker to be ready. */
  public void addCheck(String name, BooleanSupplier up) {
    checks.add(new Check(name, up));
  }

  public Status status() {
    State now = state;
    if (now != State.READY) {
      return new Status(false, now.name(), now == State.STARTING ? "starting" : "draining for shutdown");
    }
    for (Check check : checks) {
      boolean up;
      try {
        up = check.up().getAsBoolean();
      } catch (RuntimeException e) {
        up = false;
      }
      if (!up) {
        return new Status(false, "UNAVAILABLE", check.name() + " is down");
      }
    }
    return new Status(true, now.name(), null);
  }

  public boolean isReady() {
    return status().ready();
  }
}
