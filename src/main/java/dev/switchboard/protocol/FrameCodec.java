package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * Reads client frames and writes server messages.
 *
 * <p>Decoding streams over the frame once without building a tree: it validates the whole JSON text
 * and picks out {@code type} and {@code dst}. Relaying then writes the client's own bytes with
 * {@code "src"} added as the last member — the same bytes PeerServer 1.0.2 produces with
 * {@code JSON.stringify({...message, src})} for every frame PeerJS sends.
 */
public final class FrameCodec {
  /** Deepest nesting of objects and arrays in a frame, the frame itself counting as one (PeerJS's nest 3). */
  public static final int MAX_NESTING_DEPTH = 64;
  /**
   * Most digits in a number, integer, fraction and exponent together (sign, point and {@code e} not
   * counted): {@code JSON.stringify} writes at most 17 significant digits and a 3-digit exponent; this
   * leaves room for other clients' integers.
   */
  public static final int MAX_NUMBER_LENGTH = 100;
  /** Longest string value in characters: an SDP is a few KB, tens of KB with many tracks and candidates. */
  public static final int MAX_STRING_LENGTH = 1024 * 1024;
  /** Longest member name in bytes (UTF-8): PeerJS's are at most 14; applications name their metadata. */
  public static final int MAX_NAME_LENGTH = 1024;

  private static final String TOO_DEEP = "JSON nested deeper than " + MAX_NESTING_DEPTH + " levels";
  private static final String NUMBER_TOO_LONG = "number longer than " + MAX_NUMBER_LENGTH + " digits";
  private static final String STRING_TOO_LONG = "string longer than " + MAX_STRING_LENGTH + " characters";
  private static final String NAME_TOO_LONG = "member name longer than " + MAX_NAME_LENGTH + " bytes";

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(MAX_NAME_LENGTH)
          .build())
      .build();
  // Re-reads frames that passed decode (which enforced every limit), so it cannot refuse them.
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private static final byte[] OPEN = ascii("{\"type\":\"OPEN\"}");
  private static final byte[] HEARTBEAT_JSON = ascii("{\"type\":\"HEARTBEAT\"}");
  private static final ClientFrame HEARTBEAT_FRAME = new ClientFrame(HEARTBEAT_JSON, MessageType.HEARTBEAT,
      MessageType.HEARTBEAT.wire(), null, HEARTBEAT_JSON.length - 1, true, false);
  private static final byte[] ID_TAKEN = serverMessage(MessageType.ID_TAKEN, null, null, ErrorText.ID_TAKEN);

  private FrameCodec() {
  }

  /**
   * Decodes a client frame: the one place a frame from any transport is checked before the router may
   * relay or queue it.
   *
   * @throws InvalidUtf8Exception when the bytes are not strict UTF-8
   * @throws MalformedFrameException when the bytes are not one JSON object with a string {@code type}
   *     and, if present, a string {@code dst}, or go over one of the limits above (the message names it)
   */
  public static ClientFrame decode(byte[] json) throws MalformedFrameException {
    if (Arrays.equals(json, HEARTBEAT_JSON)) {
      return HEARTBEAT_FRAME; // what PeerJS sends every 5 s, byte for byte: nothing to check or parse
    }
    // JSON text is UTF-8 (RFC 8259 8.1); Jackson decodes overlongs, surrogates and code points past
    // U+10FFFF without complaint, and a browser fails its WebSocket on them (RFC 6455 8.1).
    if (!Utf8Validator.isValid(json)) {
      throw new InvalidUtf8Exception();
    }
    try (JsonParser parser = JSON.createParser(json)) {
      return read(parser, json);
    } catch (StreamConstraintsException e) {
      throw new MalformedFrameException(overLimit(e));
    } catch (IOException e) {
      throw new MalformedFrameException("not valid JSON");
    }
  }

  private static ClientFrame read(JsonParser parser, byte[] json) throws IOException, MalformedFrameException {
    // A string has no more characters than its frame has bytes: only a frame longer than the string
    // limit (max_message_size raised past it) needs the strings it does not read measured.
    boolean measureStrings = json.length > MAX_STRING_LENGTH;
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new MalformedFrameException("not a JSON object");
    }
    String typeName = null;
    String dst = null;
    boolean hasSrc = false;
    boolean hasMembers = false;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      hasMembers = true;
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals("type")) {
        typeName = string(parser, value, "type must be a string");
      } else if (field.equals("dst")) {
        dst = value == JsonToken.VALUE_NULL ? null : string(parser, value, "dst must be a string");
      } else {
        hasSrc |= field.equals("src");
        skip(parser, measureStrings);
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw new MalformedFrameException("not valid JSON");
    }
    int closingBrace = (int) parser.currentLocation().getByteOffset() - 1;
    if (parser.nextToken() != null) {
      throw new MalformedFrameException("more than one JSON value");
    }
    if (typeName == null) {
      throw new MalformedFrameException("type missing");
    }
    return new ClientFrame(json, MessageType.fromWire(typeName), typeName, dst, closingBrace, hasMembers, hasSrc);
  }

  private static String string(JsonParser parser, JsonToken value, String notAString)
      throws IOException, MalformedFrameException {
    if (value != JsonToken.VALUE_STRING) {
      throw new MalformedFrameException(notAString);
    }
    String text = parser.getText();
    if (text.length() > MAX_STRING_LENGTH) {
      throw new MalformedFrameException(STRING_TOO_LONG);
    }
    return text;
  }

  // Jackson checks nesting, numbers and names on every token, also while skipping; string values only
  // when they are decoded, which skipping avoids.
  private static void skip(JsonParser parser, boolean measureStrings) throws IOException, MalformedFrameException {
    if (!measureStrings) {
      parser.skipChildren();
      return;
    }
    int depth = 0;
    JsonToken token = parser.currentToken();
    while (true) {
      if (token == null) {
        throw new MalformedFrameException("not valid JSON");
      } else if (token.isStructStart()) {
        depth++;
      } else if (token.isStructEnd()) {
        depth--;
      } else if (token == JsonToken.VALUE_STRING && parser.getTextLength() > MAX_STRING_LENGTH) {
        throw new MalformedFrameException(STRING_TOO_LONG);
      }
      if (depth == 0) {
        return;
      }
      token = parser.nextToken();
    }
  }

  // Jackson names the limit only in its message, by the getter that holds it; the tests of each limit
  // fail if a Jackson upgrade changes that.
  private static String overLimit(StreamConstraintsException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("getMaxNestingDepth")) {
      return TOO_DEEP;
    }
    if (message.contains("getMaxNumberLength")) {
      return NUMBER_TOO_LONG;
    }
    if (message.contains("getMaxStringLength")) {
      return STRING_TOO_LONG;
    }
    if (message.contains("getMaxNameLength")) {
      return NAME_TOO_LONG;
    }
    return "JSON over a parser limit";
  }

  /**
   * The frame as relayed: the client's JSON with {@code src} set to the sender's id.
   *
   * @param srcMember the sender's {@link #srcMember(String)}
   */
  public static byte[] relayed(ClientFrame frame, String srcId, byte[] srcMember) {
    if (frame.hasSrc()) {
      return replacingSource(frame, srcId);
    }
    byte[] json = frame.json();
    int head = frame.closingBrace();
    int comma = frame.hasMembers() ? 1 : 0;
    byte[] out = new byte[head + comma + srcMember.length + 1];
    System.arraycopy(json, 0, out, 0, head);
    if (comma == 1) {
      out[head] = ',';
    }
    System.arraycopy(srcMember, 0, out, head + comma, srcMember.length);
    out[out.length - 1] = '}';
    return out;
  }

  /** {@code "src":"<id>"} as bytes, computed once per peer. */
  public static byte[] srcMember(String id) {
    // Ids that pass PeerJS's rule need no escaping; anything else goes through Jackson. (This runs
    // once per connection; Jackson's writer setup was the codec's largest share of a connect.)
    return ("\"src\":" + (isPlainAscii(id) ? "\"" + id + "\"" : jsonString(id))).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isPlainAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  // A client that writes src itself is rare (PeerJS never does); PeerServer overwrites the value in
  // place, as JavaScript keeps a key's first position, and so does ObjectNode.
  private static byte[] replacingSource(ClientFrame frame, String srcId) {
    try {
      ObjectNode node = (ObjectNode) MAPPER.readTree(frame.json());
      node.put("src", srcId);
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The frame's {@code payload} member when it is a JSON object, else {@code null}; see {@link ClientFrame#payload()}. */
  static JsonObject payload(ClientFrame frame) {
    try {
      JsonNode payload = MAPPER.readTree(frame.json()).get("payload");
      return payload instanceof ObjectNode ? new JsonObject(MAPPER.convertValue(payload, MAP)) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // decode read the same bytes without fault
    }
  }

  /**
   * The string members {@code names} of the frame's {@code payload} object (an entry is {@code null} when
   * absent or not a string), or {@code null} when there is no payload object; see
   * {@link ClientFrame#payloadStrings}. Reads the frame once, building nothing but those strings: the
   * rest of the payload (an SDP of kilobytes) is skipped.
   */
  static String[] payloadStrings(ClientFrame frame, String... names) {
    try (JsonParser parser = JSON.createParser(frame.json())) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        if (parser.nextToken() == JsonToken.START_OBJECT && field.equals("payload")) {
          return members(parser, names);
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // decode read the same bytes without fault
    }
  }

  private static String[] members(JsonParser parser, String[] names) throws IOException {
    String[] values = new String[names.length];
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      int index = indexOf(names, parser.currentName());
      if (parser.nextToken() == JsonToken.VALUE_STRING && index >= 0) {
        values[index] = parser.getText();
      }
      parser.skipChildren();
    }
    return values;
  }

  // On the relay path (each media OFFER/ANSWER): no list view per member.
  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code {"type":type,"payload":payload}}: a message the broker sends of a type that is not PeerServer's.
   *
   * @param payload one encoded JSON object
   */
  public static byte[] typed(String type, byte[] payload) {
    byte[] head = ("{\"type\":" + (isPlainAscii(type) ? "\"" + type + "\"" : jsonString(type)) + ",\"payload\":")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    out[out.length - 1] = '}';
    return out;
  }

  /** {@code {"type":"OPEN"}}. */
  public static byte[] open() {
    return OPEN;
  }

  /** {@code {"type":"ID-TAKEN","payload":{"msg":"ID is taken"}}}. */
  public static byte[] idTaken() {
    return ID_TAKEN;
  }

  /** {@code {"type":"ERROR","payload":{"msg":text}}}. */
  public static byte[] error(String text) {
    return serverMessage(MessageType.ERROR, null, null, text);
  }

  /** {@code {"type":"EXPIRE","src":absentPeer,"dst":sender}}, as PeerServer sends it. */
  public static byte[] expire(String absentPeer, String sender) {
    return serverMessage(MessageType.EXPIRE, absentPeer, sender, null);
  }

  /** A message from the server: type, then src and dst when given, then {@code payload.msg} when given. */
  public static byte[] serverMessage(MessageType type, String src, String dst, String msg) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    try (JsonGenerator gen = JSON.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("type", type.wire());
      if (src != null) {
        gen.writeStringField("src", src);
      }
      if (dst != null) {
        gen.writeStringField("dst", dst);
      }
      if (msg != null) {
        gen.writeObjectFieldStart("payload");
        gen.writeStringField("msg", msg);
        gen.writeEndObject();
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String jsonString(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
