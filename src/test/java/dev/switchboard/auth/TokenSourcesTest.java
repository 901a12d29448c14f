package dev.switchboard.auth;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which source wins, and that a credential never prints its token. */
class TokenSourcesTest {
  private final TokenSources sources = new TokenSources("sid");

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  @Test
  void webSocketPrefersSubprotocolThenCookieThenQuery() {
    MultiMap all = headers("Sec-WebSocket-Protocol", "access_token, from-protocol", "Cookie", "sid=from-cookie");
    assertEquals(new Credentials("from-protocol", Credentials.Source.SUBPROTOCOL), sources.fromWebSocket(all, "from-query"));
    assertEquals(new Credentials("from-cookie", Credentials.Source.COOKIE),
        sources.fromWebSocket(headers("Cookie", "a=1; sid=from-cookie"), "from-query"));
    assertEquals(new Credentials("from-query", Credentials.Source.QUERY), sources.fromWebSocket(headers(), "from-query"));
    assertNull(sources.fromWebSocket(headers("Sec-WebSocket-Protocol", "chat, v2"), null));
  }

  @Test
  void cookiesAreReadOnlyWhenConfigured() {
    assertNull(new TokenSources(null).fromHttp(headers("Cookie", "sid=x")));
    assertNull(sources.fromHttp(headers("Cookie", "other=x")));
  }

  @Test
  void httpPrefersBearerAndXhrFallsBackToThePathToken() {
    assertEquals(new Credentials("b", Credentials.Source.BEARER),
        sources.fromHttp(headers("Authorization", "bearer b", "Cookie", "sid=c")));
    assertNull(sources.fromHttp(headers("Authorization", "Basic dXNlcjpwYXNz")));
    assertEquals(new Credentials("p", Credentials.Source.PATH), sources.fromXhr(headers(), "p"));
    assertEquals(new Credentials("c", Credentials.Source.COOKIE), sources.fromXhr(headers("Cookie", "sid=c"), "p"));
  }

  @Test
  void credentialsNeverPrintTheirToken() {
    Credentials credentials = new Credentials("eyJhbGciOiJIUzI1NiJ9.secret.part", Credentials.Source.COOKIE);
    assertFalse(credentials.toString().contains("secret"), credentials.toString());
    assertTrue(credentials.toString().contains("cookie"));
  }
}
