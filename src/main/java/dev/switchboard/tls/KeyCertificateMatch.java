package dev.switchboard.tls;

import dev.switchboard.config.InvalidSetting;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a PEM private key belongs to its certificate before a server uses the pair. TLS stacks
 * take a mismatched pair without complaint and then fail every handshake, which looks like a network
 * fault to clients; here it is refused up front, naming both files.
 */
public final class KeyCertificateMatch {
  private static final List<String> KEY_TYPES = List.of("RSA", "EC", "EdDSA", "Ed25519", "Ed448", "RSASSA-PSS");

  private KeyCertificateMatch() {
  }

  /**
   * Loads the pair and proves the key signs what the certificate's public key verifies. Reads files:
   * call it off the event loop.
   *
   * @throws InvalidSetting (option {@code sslkey}) naming both files when they do not load or do not match
   */
  public static void check(Vertx vertx, String keyPath, String certPath) {
    X509KeyManager keys;
    try {
      PemKeyCertOptions pem = new PemKeyCertOptions().setKeyPath(keyPath).setCertPath(certPath);
      keys = x509(pem.getKeyManagerFactory(vertx).getKeyManagers());
    } catch (Exception e) {
      throw new InvalidSetting("sslkey", "cannot load the key " + keyPath + " with the certificate " + certPath
          + ": " + e.getMessage());
    }
    Set<String> aliases = new LinkedHashSet<>();
    for (String type : KEY_TYPES) {
      String[] found = keys.getServerAliases(type, null);
      if (found != null) {
        aliases.addAll(List.of(found));
      }
    }
    for (String alias : aliases) {
      PrivateKey key = keys.getPrivateKey(alias);
      X509Certificate[] chain = keys.getCertificateChain(alias);
      if (key != null && chain != null && chain.length > 0 && !matches(key, chain[0].getPublicKey())) {
        throw new InvalidSetting("sslkey", "the private key in " + keyPath + " does not match the certificate in "
            + certPath + " (every TLS handshake would fail)");
      }
    }
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    for (KeyManager manager : managers) {
      if (manager instanceof X509KeyManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X.509 key manager");
  }

  // A signature made with the key verifies under the certificate's public key only if they are a pair.
  private static boolean matches(PrivateKey key, PublicKey certificateKey) {
    String algorithm = signatureFor(key.getAlgorithm());
    if (algorithm == null) {
      return true; // a key type without a known signature here: left to the TLS stack
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an RSA key with an EC certificate
    }
  }

  private static String signatureFor(String keyAlgorithm) {
    switch (keyAlgorithm) {
      case "RSA": return "SHA256withRSA";
      case "EC": return "SHA256withECDSA";
      case "EdDSA": case "Ed25519": case "Ed448": return "EdDSA";
      default: return null;
    }
  }
}
