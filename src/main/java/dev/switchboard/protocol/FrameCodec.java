package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads client frames and writes server messages.
 *
 * <p>Decoding streams over the frame once without building a tree: it validates the whole JSON text
 * and picks out {@code type} and {@code dst}. Relaying then writes the client's own bytes with
 * {@code "src"} added as the last member — the same bytes PeerServer 1.0.2 produces with
 * {@code JSON.stringify({...message, src})} for every frame PeerJS sends.
 */
public final class FrameCodec {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private static final byte[] OPEN = ascii("{\"type\":\"OPEN\"}");
  private static final byte[] ID_TAKEN = serverMessage(MessageType.ID_TAKEN, null, null, ErrorText.ID_TAKEN);

  private FrameCodec() {
  }

  /**
   * Decodes a client frame.
   *
   * @throws MalformedFrameException when the bytes are not one JSON object with a string {@code type}
   *     and, if present, a string {@code dst}
   */
  public static ClientFrame decode(byte[] json) throws MalformedFrameException {
    String typeName = null;
    String dst = null;
    boolean hasSrc = false;
    boolean hasMembers = false;
    int closingBrace;
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedFrameException("not a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        hasMembers = true;
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "type":
            if (value != JsonToken.VALUE_STRING) {
              throw new MalformedFrameException("type must be a string");
            }
            typeName = parser.getText();
            break;
          case "dst":
            if (value == JsonToken.VALUE_STRING) {
              dst = parser.getText();
            } else if (value == JsonToken.VALUE_NULL) {
              dst = null;
            } else {
              throw new MalformedFrameException("dst must be a string");
            }
            break;
          case "src":
            hasSrc = true;
            parser.skipChildren();
            break;
          default:
            parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new MalformedFrameException("not valid JSON");
      }
      closingBrace = (int) parser.currentLocation().getByteOffset() - 1;
      if (parser.nextToken() != null) {
        throw new MalformedFrameException("more than one JSON value");
      }
    } catch (StreamConstraintsException e) {
      throw new MalformedFrameException("JSON nested too deeply");
    } catch (IOException e) {
      throw new MalformedFrameException("not valid JSON");
    }
    if (typeName == null) {
      throw new MalformedFrameException("type missing");
    }
    return new ClientFrame(json, MessageType.fromWire(typeName), typeName, dst, closingBrace, hasMembers, hasSrc);
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
