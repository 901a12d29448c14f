package dev.switchboard.routing;

import dev.switchboard.config.Setting;
import dev.switchboard.config.Settings;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.ServerSettings.MAX_MESSAGE_SIZE;
import static dev.switchboard.config.ServerSettings.SEND_BUFFER;
import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;

/**
 * Bounds of the offline queues, in messages and in bytes (docs/protocol.md#queues-and-expire); a byte
 * bound of 0 is derived from the heap.
 */
public final class QueueSettings {
  /** Share of the heap ({@code Runtime.maxMemory()}) all offline queues may hold when not set: 1/8. */
  public static final int QUEUED_BYTES_HEAP_DIVISOR = 8;
  /** Share of the total one destination's queue, or one sender's messages, may hold when not set: 1/32. */
  public static final int QUEUE_BYTES_SHARE_DIVISOR = 32;

  public static final Setting<Integer> MAX_QUEUE_PER_PEER = Setting.of("max_queue_per_peer", INT).defaultValue(1_000)
      .help("N", "Most messages queued for one absent peer.").check(v -> v >= 0, "must not be negative").build();
  public static final Setting<Integer> MAX_QUEUED_TOTAL = Setting.of("max_queued_total", INT).defaultValue(100_000)
      .help("N", "Most messages queued for all absent peers together.")
      .check(v -> v >= 0, "must not be negative").build();
  public static final Setting<Long> MAX_QUEUE_BYTES_PER_PEER = Setting.of("max_queue_bytes_per_peer", LONG)
      .defaultValue(0L).help("BYTES", "Most bytes of messages queued for one absent peer; 0: the total bound / 32, "
          + "at most --send_buffer.").build();
  public static final Setting<Long> MAX_QUEUE_BYTES_PER_SENDER = Setting.of("max_queue_bytes_per_sender", LONG)
      .defaultValue(0L).help("BYTES", "Most bytes of messages one sender may have queued for absent peers; "
          + "0: the total bound / 32.").build();
  public static final Setting<Long> MAX_QUEUED_BYTES_TOTAL = Setting.of("max_queued_bytes_total", LONG)
      .defaultValue(0L).help("BYTES", "Most bytes of messages queued for all absent peers; 0: an eighth of the heap.")
      .build();

  public static final List<Setting<?>> ALL = List.of(MAX_QUEUE_PER_PEER, MAX_QUEUED_TOTAL, MAX_QUEUE_BYTES_PER_PEER,
      MAX_QUEUE_BYTES_PER_SENDER, MAX_QUEUED_BYTES_TOTAL);

  // A bound below one message would refuse the largest messages however empty the queues are.
  public static final Consumer<SwitchboardOptions> RULES = options -> {
    for (Setting<Long> bound : List.of(MAX_QUEUE_BYTES_PER_PEER, MAX_QUEUE_BYTES_PER_SENDER, MAX_QUEUED_BYTES_TOTAL)) {
      long bytes = options.get(bound);
      Settings.check(bytes == 0 || bytes >= options.get(MAX_MESSAGE_SIZE), bound,
          "must be 0 (derived from the heap) or at least max_message_size");
    }
  };

  private QueueSettings() {
  }

  /** The total bound in force for a heap of {@code maxHeap} bytes: as set, else maxHeap / 8 (at least one message). */
  public static long queuedBytesTotal(SwitchboardOptions options, long maxHeap) {
    long set = options.get(MAX_QUEUED_BYTES_TOTAL);
    return set > 0 ? set : Math.max(maxHeap / QUEUED_BYTES_HEAP_DIVISOR, options.get(MAX_MESSAGE_SIZE));
  }

  /**
   * The per-destination bound in force: as set, else the total bound in force / 32 (at least one
   * message), and no more than send_buffer: a peer is handed its whole queue when it connects, and more
   * than its send buffer would end it as too slow.
   */
  public static long queueBytesPerPeer(SwitchboardOptions options, long maxHeap) {
    long set = options.get(MAX_QUEUE_BYTES_PER_PEER);
    return set > 0 ? set : Math.min(share(options, maxHeap), options.get(SEND_BUFFER));
  }

  /** The per-sender bound in force: as set, else the total bound in force / 32 (at least one message). */
  public static long queueBytesPerSender(SwitchboardOptions options, long maxHeap) {
    long set = options.get(MAX_QUEUE_BYTES_PER_SENDER);
    return set > 0 ? set : share(options, maxHeap);
  }

  private static long share(SwitchboardOptions options, long maxHeap) {
    return Math.max(queuedBytesTotal(options, maxHeap) / QUEUE_BYTES_SHARE_DIVISOR, options.get(MAX_MESSAGE_SIZE));
  }
}
