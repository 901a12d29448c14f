package dev.switchboard.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One IP address or CIDR range ({@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}), parsed without DNS.
 * An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) matches the IPv4 range.
 */
public final class AddressRange {
  private final byte[] network;
  private final int prefix;

  private AddressRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * Parses an address or range.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static AddressRange parse(String text) {
    String value = text == null ? "" : text.trim();
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(value.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + text);
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("bad prefix length in " + text);
      }
    }
    return new AddressRange(bytes, prefix);
  }

  /** Whether {@code text} parses. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the address (a literal, as a socket reports it) lies in this range. */
  public boolean contains(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 16 && network.length == 4 && isMappedIpv4(bytes)) {
      bytes = java.util.Arrays.copyOfRange(bytes, 12, 16);
    }
    if (bytes.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (bytes[full] & mask) == (network[full] & mask);
  }

  private static boolean isMappedIpv4(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  /** The address's bytes if it is an IPv4 or IPv6 literal (brackets allowed), else null; never looks up names. */
  static byte[] literal(String address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    int zone = a.indexOf('%');
    if (zone >= 0) {
      a = a.substring(0, zone);
    }
    boolean v6 = a.indexOf(':') >= 0;
    for (int i = 0; i < a.length(); i++) {
      char c = a.charAt(i);
      boolean ok = c == '.' || c == ':' || (c >= '0' && c <= '9') || (v6 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return null;
      }
    }
    if (!v6 && a.chars().filter(c -> c == '.').count() != 3) {
      return null;
    }
    try {
      return InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?";
    }
  }
}
