package dev.switchboard.turn;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * coturn's TURN REST algorithm (use-auth-secret): username {@code <expiry>:<user>}, password
 * base64(HMAC-SHA1(secret, username)). The expected passwords were computed once, independently of this
 * code, with OpenSSL 3 on this machine:
 * <pre>
 * printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac 'north' -binary | base64
 *   → Cd/49soE35ICqcJF/bCTn8Z4OyE=
 * printf '%s' '1735689600:bob-laptop' | openssl dgst -sha1 -hmac 'fd0b5e6c1d7a4e8f9a2b3c4d5e6f7081' -binary | base64
 *   → inEcpBMv/BUEG0Bp0zzawWJ5TNE=
 * printf '%s' '1700000000:team:alice' | openssl dgst -sha1 -hmac 'north' -binary | base64
 *   → URfTmgfHZ1379XJTZJ6MGze4GPs=
 * </pre>
 * The same algorithm is checked end to end against coturn itself in {@code TurnRelayBrowserIT}.
 */
class TurnCredentialsTest {

  @Test
  void passwordIsBase64OfHmacSha1OfTheUsernameAsOpensslComputesIt() {
    assertEquals("Cd/49soE35ICqcJF/bCTn8Z4OyE=", TurnCredentials.password("north", "1700000000:alice"));
    assertEquals("inEcpBMv/BUEG0Bp0zzawWJ5TNE=",
        TurnCredentials.password("fd0b5e6c1d7a4e8f9a2b3c4d5e6f7081", "1735689600:bob-laptop"));
  }

  @Test
  void usernameIsExpiryColonUserAndTheFirstSecretSigns() {
    TurnCredentials credentials = new TurnCredentials(List.of("fd0b5e6c1d7a4e8f9a2b3c4d5e6f7081", "an-older-secret-still-held"));
    TurnCredentials.Credential issued = credentials.issue("bob-laptop", 1_735_689_600L);
    assertEquals("1735689600:bob-laptop", issued.username());
    assertEquals("inEcpBMv/BUEG0Bp0zzawWJ5TNE=", issued.password());
    assertEquals(1_735_689_600L, issued.expiresAtSeconds());
    assertFalse(issued.toString().contains(issued.password()), "a credential's toString must not show the password");
  }

  @Test
  void aUserIdWithTheSeparatorIsSignedWhole() {
    // coturn reads the expiry up to the first ':' and signs the whole username, so "a:b" users work.
    TurnCredentials.Credential issued = new TurnCredentials(List.of("north")).issue("team:alice", 1_700_000_000L);
    assertEquals("1700000000:team:alice", issued.username());
    assertEquals("URfTmgfHZ1379XJTZJ6MGze4GPs=", issued.password()); // openssl, as above
  }

  @Test
  void noSecretIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(List.of()));
  }
}
