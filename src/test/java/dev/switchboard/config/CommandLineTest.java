package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PeerServer's flags, defaults and errors; see also MainProcessIT for exit codes of the real process. */
class CommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private SwitchboardOptions parse(String... args) {
    try {
      return CommandLineParser.parse(args, new PrintWriter(out, true), new PrintWriter(err, true));
    } catch (CommandLineParser.Exit e) {
      e.addSuppressed(new AssertionError("stderr: " + err));
      throw e;
    }
  }

  @Test
  void defaultsAreThoseOfPeerServer() {
    SwitchboardOptions o = parse();
    assertEquals(9000, o.getPort());
    assertEquals("/", o.getPath());
    assertEquals("peerjs", o.getKey());
    assertEquals(5000, o.getExpireTimeout());
    assertEquals(90_000, o.getAliveTimeout());
    assertEquals(5000, o.getConcurrentLimit());
    assertFalse(o.isAllowDiscovery());
    assertEquals(65536, o.getMaxMessageSize());
    assertEquals(1000, o.getMaxQueuePerPeer());
    assertEquals(64, o.getMaxIdLength());
  }

  @Test
  void longAndShortFlags() {
    SwitchboardOptions o = parse("-p", "9123", "-H", "127.0.0.1", "--path", "myapp", "-k", "k1", "-t", "700",
        "--alive_timeout", "1000", "-c", "7", "--allow_discovery", "--proxied", "--cors", "https://a.example",
        "--cors", "https://b.example,https://c.example", "--max_message_size", "4096", "--max_queue_per_peer", "5",
        "--max_queued_total", "50", "--max_id_length", "20", "--event_loops", "3");
    assertEquals(9123, o.getPort());
    assertEquals("127.0.0.1", o.getHost());
    assertEquals("/myapp/", o.getPath());
    assertEquals("k1", o.getKey());
    assertEquals(700, o.getExpireTimeout());
    assertEquals(1000, o.getAliveTimeout());
    assertEquals(7, o.getConcurrentLimit());
    assertTrue(o.isAllowDiscovery());
    assertTrue(o.isProxied());
    assertEquals(List.of("https://a.example", "https://b.example", "https://c.example"), o.getCors());
    assertEquals(4096, o.getMaxMessageSize());
    assertEquals(5, o.getMaxQueuePerPeer());
    assertEquals(50, o.getMaxQueuedTotal());
    assertEquals(20, o.getMaxIdLength());
    assertEquals(3, o.getEventLoops());
  }

  // PeerServer's yargs takes booleans with a value and arrays after one flag.
  @Test
  void peerServersCommandLinesWorkUnchanged() {
    SwitchboardOptions o = parse("--port", "9001", "--proxied", "true", "--allow_discovery", "true",
        "--cors", "https://a.example", "capacitor://localhost", "--key", "k");
    assertTrue(o.isProxied());
    assertTrue(o.isAllowDiscovery());
    assertEquals(List.of("https://a.example", "capacitor://localhost"), o.getCors());
    assertEquals("k", o.getKey());
    SwitchboardOptions off = parse("--proxied", "false", "--allow_discovery", "false");
    assertFalse(off.isProxied());
    assertFalse(off.isAllowDiscovery());
    SwitchboardOptions bare = parse("--allow_discovery", "--proxied");
    assertTrue(bare.isAllowDiscovery() && bare.isProxied());
    assertEquals(List.of("a", "b", "c", "d"), parse("--cors", "a", "b", "--cors", "c,d").getCors());
  }

  @Test
  void queueByteFlags() {
    SwitchboardOptions derived = parse();
    assertEquals(0, derived.getMaxQueueBytesPerPeer());
    assertEquals(Runtime.getRuntime().maxMemory() / 8, derived.queuedBytesTotal(Runtime.getRuntime().maxMemory()));
    SwitchboardOptions o = parse("--max_queue_bytes_per_peer", "100000", "--max_queue_bytes_per_sender", "200000",
        "--max_queued_bytes_total", "3000000000");
    assertEquals(100_000, o.getMaxQueueBytesPerPeer());
    assertEquals(200_000, o.getMaxQueueBytesPerSender());
    assertEquals(3_000_000_000L, o.getMaxQueuedBytesTotal());
    assertEquals(2, assertThrows(CommandLineParser.Exit.class,
        () -> parse("--max_queue_bytes_per_peer", "10")).status());
    assertTrue(err.toString().contains("Invalid max_queue_bytes_per_peer"), err.toString());
  }

  @Test
  void badFlagsExitWithUsageStatus() {
    for (String[] args : new String[][] {{"--nope"}, {"--port", "x"}, {"--port", "70000"}, {"--sslkey", "k.pem"},
        {"--sslcert", "c.pem"}, {"-t", "0"}}) {
      CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class, () -> parse(args));
      assertEquals(2, exit.status(), String.join(" ", args));
    }
    assertTrue(err.toString().contains("Unknown option: '--nope'"), err.toString());
    assertTrue(err.toString().contains("sslkey and sslcert go together"), err.toString());
  }

  @Test
  void helpListsEveryFlagWithItsDefault() {
    CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class, () -> parse("--help"));
    assertEquals(0, exit.status());
    String help = out.toString();
    for (String flag : List.of("--port", "-H, --host", "--path", "-k, --key", "-t, --expire_timeout", "--alive_timeout",
        "-c, --concurrent_limit", "--allow_discovery", "--proxied", "--sslkey", "--sslcert", "--cors",
        "--max_message_size", "--max_queue_per_peer", "Default: 90000", "Default: 5000")) {
      assertTrue(help.contains(flag), flag + " in\n" + help);
    }
  }

  @Test
  void clusterFlags() {
    SwitchboardOptions single = parse();
    assertFalse(single.isCluster());
    assertEquals(5701, single.getClusterPort());
    assertEquals("switchboard", single.getClusterName());
    SwitchboardOptions o = parse("--cluster", "--cluster_host", "10.0.0.5", "--cluster_port", "5801",
        "--cluster_members", "10.0.0.6:5801,10.0.0.7", "--cluster_members", "10.0.0.8:5801", "--cluster_name", "calls",
        "--cluster_bus_port", "5802");
    assertTrue(o.isCluster());
    assertEquals("10.0.0.5", o.getClusterHost());
    assertEquals(5801, o.getClusterPort());
    assertEquals(List.of("10.0.0.6:5801", "10.0.0.7", "10.0.0.8:5801"), o.getClusterMembers());
    assertEquals("calls", o.getClusterName());
    assertEquals(5802, o.getClusterBusPort());
    assertEquals(o.toJson(), new SwitchboardOptions(o.toJson()).toJson());
    assertEquals("hazelcast.yaml", parse("--cluster", "--cluster_config", "hazelcast.yaml").getClusterConfig());
  }

  @Test
  void badClusterFlagsAreRefused() {
    assertThrows(CommandLineParser.Exit.class, () -> parse("--cluster_members", "a b:1"));
    assertTrue(err.toString().contains("cluster_members"), err.toString());
    assertThrows(CommandLineParser.Exit.class, () -> parse("--cluster_port", "0"));
    assertThrows(CommandLineParser.Exit.class,
        () -> parse("--cluster_config", "hz.xml", "--cluster_members", "10.0.0.6:5701"));
  }
}
