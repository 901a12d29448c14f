package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator agrees with the JDK's strict UTF-8 decoder on every short sequence and on random text. */
class Utf8ValidatorTest {
  private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  private final CharBuffer chars = CharBuffer.allocate(1024);

  private boolean jdkAccepts(byte[] bytes) {
    strict.reset();
    chars.clear();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    return !strict.decode(in, chars, true).isError() && !strict.flush(chars).isError() && !in.hasRemaining();
  }

  private void agrees(byte[] bytes) {
    assertEquals(jdkAccepts(bytes), Utf8Validator.isValid(bytes), () -> hex(bytes));
  }

  @Test
  void theIssuesSequencesAreRefusedWhereverTheyStand() {
    byte[][] invalid = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    for (byte[] bad : invalid) {
      // Every offset around the eight-byte steps of the ASCII scan, in text long enough to have them.
      for (int at = 0; at < 24; at++) {
        byte[] text = new byte[32];
        java.util.Arrays.fill(text, (byte) 'a');
        System.arraycopy(bad, 0, text, at, bad.length);
        assertFalse(Utf8Validator.isValid(text), () -> hex(text));
      }
    }
  }

  @Test
  void everySequenceOfOneAndTwoBytesAgreesWithTheJdk() {
    for (int a = 0; a < 256; a++) {
      agrees(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        agrees(new byte[] {(byte) a, (byte) b});
      }
    }
  }

  @Test
  void everyThreeByteSequenceAgreesWithTheJdk() {
    byte[] seq = new byte[3];
    for (int a = 0xc0; a < 256; a++) { // other first bytes leave a shorter case, covered above
      for (int b = 0; b < 256; b++) {
        for (int c = 0; c < 256; c++) {
          seq[0] = (byte) a;
          seq[1] = (byte) b;
          seq[2] = (byte) c;
          agrees(seq);
        }
      }
    }
  }

  @Test
  void fourByteSequencesAgreeWithTheJdkAtEveryLeadAndSecondByte() {
    byte[] seq = new byte[4];
    int[] tails = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
    for (int a = 0xe0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        for (int c : tails) {
          for (int d : tails) {
            seq[0] = (byte) a;
            seq[1] = (byte) b;
            seq[2] = (byte) c;
            seq[3] = (byte) d;
            agrees(seq);
          }
        }
      }
    }
  }

  @Test
  void randomTextAgreesWithTheJdk() {
    Random random = new Random(6455);
    String[] pieces = {"v=0\r\n", "a", "\u00e9", "\u20ac", "\ud83d\ude00", "\"", "\ufffd", "\u07ff", "\uffff"};
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      assertTrue(Utf8Validator.isValid(bytes), text::toString);
      if (bytes.length > 0) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256); // usually breaks it, not always
        agrees(bytes);
      }
    }
  }

  @Test
  void emptyIsValid() {
    assertTrue(Utf8Validator.isValid(new byte[0]));
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x ", b & 0xff));
    }
    return s.toString().trim();
  }
}
