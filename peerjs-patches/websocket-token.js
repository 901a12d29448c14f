// Hands a session token to unmodified PeerJS in the WebSocket's Sec-WebSocket-Protocol header instead
// of the URL, for a Switchboard broker run with --auth jwt or --auth session.
//
//   <script src="peerjs.min.js"></script>
//   <script src="websocket-token.js"></script>
//   <script>
//     SwitchboardToken.use(sessionToken);            // the one line
//     const peer = new Peer(userId, { host, port, path });
//   </script>
//
// Connections to a ".../peerjs?..." URL offer the subprotocols ["access_token", <token>]; the broker
// reads the token from there (before the cookie and PeerJS's own ?token=) and answers with
// "access_token" only, so the browser accepts the upgrade and the token never appears in a URL,
// a proxy log or the echoed header. Other WebSockets on the page are left alone.
//
// The token must be a valid subprotocol token: JWTs and base64url or hex session ids are; a token with
// "/", "+", "=" or spaces is not (the browser throws a SyntaxError) — use the cookie variant for those.
(function (global) {
  'use strict';
  var NativeWebSocket = null;  // the WebSocket in place when use() was first called
  var token = null;

  function isPeerJsEndpoint(url) {
    try {
      return /\/peerjs$/.test(new URL(String(url), global.location && global.location.href).pathname);
    } catch (e) {
      return false;
    }
  }

  function current() {
    return typeof token === 'function' ? token() : token;
  }

  function PatchedWebSocket(url, protocols) {
    if (token && isPeerJsEndpoint(url)) {
      var offered = protocols == null ? [] : [].concat(protocols);
      return new NativeWebSocket(url, ['access_token', current()].concat(offered));
    }
    return protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
  }

  // The WebSocket is taken when use() is called, not when this script loads: another add-on loaded
  // after this one (peerjs-xhr-fallback.js) has then replaced it already, and is wrapped, not skipped.
  function install() {
    if (global.WebSocket === PatchedWebSocket) return;
    NativeWebSocket = global.WebSocket;
    PatchedWebSocket.prototype = NativeWebSocket.prototype;
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (name) {
      PatchedWebSocket[name] = NativeWebSocket[name];
    });
    global.WebSocket = PatchedWebSocket;
  }

  global.SwitchboardToken = {
    /** Sets the token (a string, or a function returning the current one) for the next connections. */
    use: function (value) {
      token = value;
      install();
    },
    /** The token the next connection gets, or null: other add-ons (the XHR fallback) send it too. */
    current: function () {
      return token ? current() : null;
    },
  };
})(typeof window !== 'undefined' ? window : globalThis);
