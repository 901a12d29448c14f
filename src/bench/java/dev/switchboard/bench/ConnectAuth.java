package dev.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a connecting peer presents as PeerJS's {@code token}, and the server flags that go with it.
 *
 * <p>The hook for authenticated connect storms: {@link #none()} is PeerServer's model (any token);
 * {@link #jwt(String)} mints an HS256 JWT per peer ({@code sub} = the peer id) for a Switchboard started
 * with {@code --auth jwt --jwt_secret S}. The {@code connect-jwt} scenario runs it once the jar's
 * {@code --help} lists those flags (they come with the auth work); until then it reports "not available".
 * If the auth work settles on other claim names or another place for the token, change {@link #token}.
 */
interface ConnectAuth {
  String token(String peerId);

  List<String> serverFlags();

  static ConnectAuth none() {
    return new ConnectAuth() {
      @Override
      public String token(String peerId) {
        return Scenarios.token(peerId);
      }

      @Override
      public List<String> serverFlags() {
        return List.of();
      }
    };
  }

  static ConnectAuth jwt(String secret) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    // One keyed Mac per generator thread (doFinal resets it), not a provider lookup and keying per token.
    ThreadLocal<Mac> macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return new ConnectAuth() {
      @Override
      public String token(String peerId) {
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String claims = b64.encodeToString(("{\"sub\":\"" + peerId + "\",\"exp\":" + exp + "}")
            .getBytes(StandardCharsets.UTF_8));
        String signed = header + "." + claims;
        return signed + "." + b64.encodeToString(macs.get().doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
      }

      @Override
      public List<String> serverFlags() {
        return List.of("--auth", "jwt", "--jwt_secret", secret);
      }
    };
  }
}
