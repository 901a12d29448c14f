package dev.switchboard.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A memory cgroup made for one test, limited to a number of bytes: a child of this process's own memory
 * cgroup, under cgroup v1's memory controller where it is mounted, else under cgroup v2: a child of this
 * process's cgroup if the memory controller can be enabled for its children, else (cgroup v2's
 * no-internal-processes rule refuses that while it holds processes) a sibling, if its parent's children
 * have the memory controller, as systemd's slices do. A command run through
 * {@link #wrap} starts inside it, as a process in a VM or container of that size. Creating one fails
 * with the reason (no memory controller, no permission): a test that needs a limit must not skip.
 */
public final class MemoryCgroup implements AutoCloseable {
  private final Path dir;
  private final boolean v1;
  private final long limit;

  private MemoryCgroup(Path dir, boolean v1, long limit) {
    this.dir = dir;
    this.v1 = v1;
    this.limit = limit;
  }

  /** Creates child cgroup {@code name} of this process's memory cgroup, limited to {@code limit} bytes. */
  public static MemoryCgroup create(String name, long limit) {
    try {
      List<String> membership = Files.readAllLines(Path.of("/proc/self/cgroup"));
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
      Optional<Path> v1 = own(membership, mounts, true);
      Optional<Path> v2 = own(membership, mounts, false);
      if (v1.isPresent()) {
        return make(v1.get().resolve(name), true, limit);
      }
      if (v2.isPresent()) {
        return make(v2Parent(v2.get()).resolve(name), false, limit);
      }
      throw new AssertionError("no memory cgroup to make a child of: neither cgroup v1's memory controller nor"
          + " cgroup v2 is mounted (/proc/self/cgroup:\n" + String.join("\n", membership) + ")");
    } catch (IOException e) {
      throw new AssertionError("cannot create a memory cgroup limited to " + limit + " bytes (needs root or a"
          + " delegated cgroup): " + e, e);
    }
  }

  // This process's cgroup directory: v1, the hierarchy whose controllers include memory; v2, hierarchy 0.
  private static Optional<Path> own(List<String> membership, List<String> mounts, boolean v1) {
    for (String line : membership) {
      String[] fields = line.split(":", 3);
      boolean match = v1 ? List.of(fields[1].split(",")).contains("memory") : fields[0].equals("0") && fields[1].isEmpty();
      if (match) {
        return mountOf(mounts, v1).map(mount -> under(mount, fields[2]));
      }
    }
    return Optional.empty();
  }

  // mountinfo: id parent major:minor root mountpoint options ... - fstype source superoptions
  private static Optional<String[]> mountOf(List<String> mounts, boolean v1) {
    for (String line : mounts) {
      String[] halves = line.split(" - ", 2);
      String[] after = halves[1].split(" ");
      boolean match = v1 ? after[0].equals("cgroup") && List.of(after[2].split(",")).contains("memory")
          : after[0].equals("cgroup2");
      if (match) {
        String[] before = halves[0].split(" ");
        return Optional.of(new String[] {before[3], before[4]});
      }
    }
    return Optional.empty();
  }

  // The cgroup path as this process sees it, relative to the mount's root (a container mounts its own subtree).
  private static Path under(String[] mount, String path) {
    String root = mount[0];
    String relative = root.equals("/") || !path.startsWith(root) ? path : path.substring(root.length());
    return Path.of(mount[1], relative.replaceFirst("^/+", ""));
  }

  // Where the test's cgroup v2 can go: under this process's cgroup, else beside it.
  private static Path v2Parent(Path own) throws IOException {
    if (!Files.readString(own.resolve("cgroup.controllers")).contains("memory")) {
      throw new IOException("cgroup v2 at " + own + " has no memory controller");
    }
    try {
      if (!Files.readString(own.resolve("cgroup.subtree_control")).contains("memory")) {
        Files.writeString(own.resolve("cgroup.subtree_control"), "+memory");
      }
      return own;
    } catch (IOException busy) {
      // EBUSY: this cgroup holds processes (this JVM), so its children may not have controllers.
      Path parent = own.getParent();
      if (parent != null && Files.isReadable(parent.resolve("cgroup.subtree_control"))
          && Files.readString(parent.resolve("cgroup.subtree_control")).contains("memory")) {
        return parent;
      }
      throw new IOException("cgroup v2: cannot enable the memory controller for children of " + own + " (" + busy
          + ") and its parent's children do not have it", busy);
    }
  }

  private static MemoryCgroup make(Path dir, boolean v1, long limit) throws IOException {
    Files.createDirectory(dir);
    MemoryCgroup cgroup = new MemoryCgroup(dir, v1, limit);
    try {
      Files.writeString(dir.resolve(v1 ? "memory.limit_in_bytes" : "memory.max"), String.valueOf(limit));
      long set = Long.parseLong(cgroup.read(v1 ? "memory.limit_in_bytes" : "memory.max"));
      if (set != limit) {
        throw new IOException(dir + " took a limit of " + set + " bytes for " + limit);
      }
    } catch (IOException | RuntimeException e) {
      cgroup.close();
      throw e;
    }
    return cgroup;
  }

  /** {@code command}, started inside this cgroup: a shell that joins it, then execs the command in place. */
  public List<String> wrap(List<String> command) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "sh",
        dir.resolve("cgroup.procs").toString()));
    wrapped.addAll(command);
    return wrapped;
  }

  public Path dir() {
    return dir;
  }

  public long limit() {
    return limit;
  }

  /** The processes in it. */
  public List<Long> processes() {
    return read("cgroup.procs").lines().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
  }

  /** How often the kernel's OOM killer killed a process in it (v1 memory.oom_control, v2 memory.events). */
  public long oomKills() {
    return field(v1 ? "memory.oom_control" : "memory.events", "oom_kill");
  }

  /** The most memory it ever used (v1 memory.max_usage_in_bytes, v2 memory.peak: Linux 5.19 or later). */
  public long peakBytes() {
    return Long.parseLong(read(v1 ? "memory.max_usage_in_bytes" : "memory.peak"));
  }

  /** The memory it uses now. */
  public long usageBytes() {
    return Long.parseLong(read(v1 ? "memory.usage_in_bytes" : "memory.current"));
  }

  private long field(String file, String name) {
    return read(file).lines().map(l -> l.split(" ")).filter(f -> f[0].equals(name)).mapToLong(f -> Long.parseLong(f[1]))
        .findFirst().orElseThrow(() -> new AssertionError(dir.resolve(file) + " has no " + name));
  }

  private String read(String file) {
    try {
      return Files.readString(dir.resolve(file)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes it, once its processes are gone (call after they were killed and reaped). */
  @Override
  public void close() {
    Await.until("no process left in " + dir, () -> processes().isEmpty(), 10);
    try {
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
