package dev.switchboard.proxy;

/**
 * Who is on the other end of a request: the client's address and the scheme it used, as the broker
 * sees them or as a trusted proxy reported them.
 *
 * @param address the client's IP address (no port)
 * @param secure whether the client reached us (or the proxy) over TLS
 */
public record ClientInfo(String address, boolean secure) {
}
