/*!
 * peerjs-xhr-fallback: carries PeerJS 1.x signalling over HTTP when the WebSocket to the broker is
 * refused, fails, or does not open in time. Needs a broker with XHR endpoints (Switchboard).
 *
 * Load it after peerjs.min.js with a plain <script>, or `import "peerjs-xhr-fallback"` before the first
 * `new Peer(...)`. Application code is unchanged.
 *
 * The one mechanism: window.WebSocket is replaced by a constructor that, for PeerJS broker URLs only
 * ({path}peerjs?key=..&id=..&token=..), returns a WebSocket-compatible object. That object first tries
 * the real WebSocket; if it opens, every call and event goes straight through. If it is refused, errors
 * or stays unopened for `timeout` ms, the object opens an XHR session on the same broker instead and
 * keeps presenting itself as an open WebSocket to PeerJS's own socket code. Any other URL gets the
 * browser's WebSocket, untouched.
 *
 * Settings: PeerXhrFallback.configure({timeout, transport, streamCheck, rotate, debug}) or a
 * window.PeerXhrFallback = {...} object defined before this script. See README.md.
 */
(function (root) {
  'use strict';
  if (!root || typeof root.WebSocket !== 'function' || root.WebSocket.peerXhrFallback) return;

  var NativeWebSocket = root.WebSocket;
  var CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
  var settings = {
    timeout: 3000,      // ms a WebSocket may take to open before the XHR session takes over
    transport: 'auto',  // 'auto' (stream, long-poll when streaming is buffered), 'stream' or 'poll'
    streamCheck: 3000,  // ms a stream may take to show its first line before 'auto' switches to polls
    rotate: 25000,      // ms between stream rotations (as PeerJS 0.3.x), under typical proxy timeouts
    retryDelay: 1000,   // ms before reopening after a failed stream or poll
    maxRetries: 3,      // consecutive failures before the session counts as lost
    debug: false,
  };
  var stats = { fallbacks: [] };

  function log() {
    if (settings.debug && root.console) root.console.log.apply(root.console, ['[peerjs-xhr-fallback]'].concat([].slice.call(arguments)));
  }

  function now() {
    return root.performance && root.performance.now ? root.performance.now() : Date.now();
  }

  // ws(s)://host:port{path}peerjs?key=K&id=I&token=T&...  ->  http(s)://host:port{path}K/I/T
  function xhrBase(url) {
    var parsed;
    try {
      parsed = new URL(String(url), root.location && root.location.href);
    } catch (e) {
      return null;
    }
    var q = parsed.searchParams;
    if (!/\/peerjs$/.test(parsed.pathname) || !q.get('key') || !q.get('id') || !q.get('token')) return null;
    var scheme = parsed.protocol === 'wss:' ? 'https:' : 'http:';
    var prefix = parsed.pathname.slice(0, -'peerjs'.length);
    return scheme + '//' + parsed.host + prefix + [q.get('key'), q.get('id'), q.get('token')].map(encodeURIComponent).join('/');
  }

  // The session token of a broker run with --auth: offered as the subprotocols ["access_token", token]
  // (websocket-token.js, whichever of the two add-ons wraps the other), else what SwitchboardToken holds.
  // Sessions send it as a bearer header when they open a stream or poll; PeerJS's own token in the
  // path only ties later requests to the session.
  function bearerToken(protocols) {
    var offered = protocols == null ? [] : [].concat(protocols);
    var at = offered.indexOf('access_token');
    if (at >= 0 && at + 1 < offered.length) return String(offered[at + 1]);
    var shared = root.SwitchboardToken;
    return shared && typeof shared.current === 'function' ? shared.current() : null;
  }

  // ---------------------------------------------------------------------------------------------
  // The WebSocket-compatible object PeerJS gets for its broker connection.

  function FallbackSocket(url, protocols, base) {
    this.url = String(url);
    this.readyState = CONNECTING;
    this.protocol = '';
    this.extensions = '';
    this.bufferedAmount = 0;
    this.binaryType = 'blob';
    this.transport = 'websocket';  // becomes 'xhr-stream' or 'xhr-poll' after a fallback
    this.onopen = this.onmessage = this.onerror = this.onclose = null;
    this._listeners = {};
    this._base = base;
    this._token = bearerToken(protocols);
    this._created = now();
    this._tryWebSocket(protocols);
  }

  FallbackSocket.prototype.CONNECTING = CONNECTING;
  FallbackSocket.prototype.OPEN = OPEN;
  FallbackSocket.prototype.CLOSING = CLOSING;
  FallbackSocket.prototype.CLOSED = CLOSED;

  FallbackSocket.prototype.addEventListener = function (type, fn) {
    (this._listeners[type] = this._listeners[type] || []).push(fn);
  };

  FallbackSocket.prototype.removeEventListener = function (type, fn) {
    var list = this._listeners[type] || [];
    var at = list.indexOf(fn);
    if (at >= 0) list.splice(at, 1);
  };

  FallbackSocket.prototype._fire = function (type, event) {
    event = event || {};
    var handler = this['on' + type];
    if (typeof handler === 'function') handler.call(this, event);
    (this._listeners[type] || []).slice().forEach(function (fn) { fn.call(this, event); }, this);
  };

  FallbackSocket.prototype._tryWebSocket = function (protocols) {
    var self = this;
    var ws;
    try {
      ws = protocols === undefined ? new NativeWebSocket(this.url) : new NativeWebSocket(this.url, protocols);
    } catch (e) {
      this._fallBack('WebSocket constructor threw: ' + e);
      return;
    }
    this._ws = ws;
    var timer = setTimeout(function () { self._fallBack('WebSocket not open after ' + settings.timeout + ' ms'); }, settings.timeout);
    ws.onopen = function (event) {
      clearTimeout(timer);
      if (self._session || self.readyState !== CONNECTING) {
        ws.onclose = ws.onerror = ws.onmessage = null;
        ws.close();
        return;
      }
      self.readyState = OPEN;
      self.protocol = ws.protocol;
      self.extensions = ws.extensions;
      ws.onmessage = function (e) { self._fire('message', e); };
      ws.onerror = function (e) { self._fire('error', e); };
      ws.onclose = function (e) { self.readyState = CLOSED; self._fire('close', e); };
      self._fire('open', event);
    };
    ws.onerror = ws.onclose = function (event) {
      clearTimeout(timer);
      self._fallBack('WebSocket ' + event.type + ' before open');
    };
  };

  FallbackSocket.prototype._fallBack = function (reason) {
    if (this._session || this.readyState !== CONNECTING) return;
    if (this._ws) {
      this._ws.onopen = this._ws.onclose = this._ws.onerror = this._ws.onmessage = null;
      try { this._ws.close(); } catch (e) { /* a stalled socket may refuse; it is dropped anyway */ }
    }
    this.transport = 'xhr';
    var record = { url: this.url, reason: reason, afterMs: Math.round(now() - this._created) };
    stats.fallbacks.push(record);
    log('falling back to XHR:', reason);
    this._session = new XhrSession(this._base, this, record, this._token);
    this._session.start();
  };

  FallbackSocket.prototype.send = function (data) {
    if (this.readyState !== OPEN) throw new Error('InvalidStateError: the socket is not open');
    if (this._session) this._session.send(String(data));
    else this._ws.send(data);
  };

  FallbackSocket.prototype.close = function (code, reason) {
    if (this.readyState === CLOSED) return;
    if (this._session) {
      this._session.close();
      this.readyState = CLOSED;
      this._fire('close', { code: code || 1000, reason: reason || '', wasClean: true });
    } else if (this._ws) {
      this.readyState = CLOSING;
      this._ws.close(code, reason);
    }
  };

  // ---------------------------------------------------------------------------------------------
  // The XHR session: one stream (or long-poll) at a time to read, one POST at a time to write.
  // Lines read are [seq,message]; the broker resends whatever this session has not acknowledged
  // (ack=lastSeq on every request), so a dropped stream loses nothing and repeats are skipped here.

  function XhrSession(base, socket, record, token) {
    this.base = base;
    this.token = token;
    this.socket = socket;
    this.record = record;
    this.mode = settings.transport === 'poll' ? 'poll' : 'stream';
    this.index = 0;
    this.lastSeq = 0;
    this.reader = null;
    this.outbox = [];
    this.posting = false;
    this.failures = 0;
    this.closed = false;
  }

  XhrSession.prototype.start = function () {
    this.read();
  };

  XhrSession.prototype.read = function () {
    if (this.closed) return;
    var poll = this.mode === 'poll';
    var url = this.base + '/id?i=' + (this.index++) + '&ack=' + this.lastSeq + (poll ? '&poll=1' : '');
    var previous = this.reader;
    this.socket.transport = poll ? 'xhr-poll' : 'xhr-stream';
    // fetch hands over each chunk as it arrives; XHR events are throttled (about 50 ms in Chromium).
    var streaming = !poll && typeof root.fetch === 'function' && typeof root.AbortController === 'function'
      && typeof root.TextDecoder === 'function';
    var reader = streaming ? this.fetchReader(url) : this.xhrReader(url);
    this.reader = reader;
    var self = this;
    reader.onHeaders = function () {
      if (previous) {
        // The new stream is there: the old one may go (what it still had is resent here).
        previous.abort();
        previous = null;
      }
    };
    reader.onEnd = function (status) {
      if (self.reader !== reader || self.closed) return;
      clearTimeout(rotation);
      clearTimeout(check);
      if (status === 200) {
        self.failures = 0;
        self.read(); // a poll answered, or a stream the broker ended: ask again
      } else if (status === 410 || status === 401 || ++self.failures > settings.maxRetries) {
        self.lost('broker answered ' + status);
      } else {
        setTimeout(function () { self.read(); }, settings.retryDelay);
      }
    };
    var rotation = !poll && setTimeout(function () {
      if (self.reader === reader && !self.closed) self.read();
    }, settings.rotate);
    var check = !poll && settings.transport === 'auto' && setTimeout(function () {
      if (self.reader !== reader || reader.lines > 0 || self.closed) return;
      // Headers but no line yet: something on the way buffers the stream. Long-poll instead.
      log('stream looks buffered; switching to long-polling');
      self.mode = 'poll';
      self.reader = null;
      reader.abort();
      clearTimeout(rotation);
      self.read();
    }, settings.streamCheck);
    reader.start();
  };

  // A reader calls onHeaders once, this.session.line() per line, and onEnd(status) once unless aborted.
  XhrSession.prototype.xhrReader = function (url) {
    var self = this;
    var xhr = new XMLHttpRequest();
    var seen = 0;
    var reader = {
      lines: 0,
      start: function () { xhr.send(null); },
      abort: function () { xhr.onreadystatechange = null; xhr.abort(); },
    };
    xhr.open('POST', url, true);
    if (this.token) xhr.setRequestHeader('Authorization', 'Bearer ' + this.token);
    xhr.onreadystatechange = function () {
      if (xhr.readyState === 2) reader.onHeaders();
      if (xhr.readyState >= 3 && xhr.status === 200) {
        var text = xhr.responseText || '';
        var newline;
        while ((newline = text.indexOf('\n', seen)) >= 0) {
          var line = text.slice(seen, newline);
          seen = newline + 1;
          reader.lines++;
          self.line(line);
          if (self.closed || xhr.onreadystatechange === null) return;
        }
      }
      if (xhr.readyState === 4) reader.onEnd(xhr.status);
    };
    return reader;
  };

  XhrSession.prototype.fetchReader = function (url) {
    var self = this;
    var controller = new root.AbortController();
    var decoder = new root.TextDecoder();
    var pending = '';
    var aborted = false;
    var reader = {
      lines: 0,
      abort: function () { aborted = true; controller.abort(); },
      start: function () {
        var init = { method: 'POST', cache: 'no-store', signal: controller.signal };
        if (self.token) init.headers = { Authorization: 'Bearer ' + self.token };
        root.fetch(url, init).then(function (response) {
          reader.onHeaders();
          if (response.status !== 200 || !response.body) return reader.onEnd(response.status);
          var body = response.body.getReader();
          var next = function () {
            return body.read().then(function (chunk) {
              if (aborted) return undefined;
              if (chunk.done) return reader.onEnd(200);
              pending += decoder.decode(chunk.value, { stream: true });
              var newline;
              while ((newline = pending.indexOf('\n')) >= 0) {
                var line = pending.slice(0, newline);
                pending = pending.slice(newline + 1);
                reader.lines++;
                self.line(line);
                if (self.closed || aborted) return undefined;
              }
              return next();
            });
          };
          return next();
        }).catch(function () {
          if (!aborted) reader.onEnd(0);
        });
      },
    };
    return reader;
  };

  XhrSession.prototype.line = function (line) {
    if (line.charAt(0) !== '[') return; // the padding line
    var comma = line.indexOf(',');
    var seq = parseInt(line.slice(1, comma), 10);
    var message = line.slice(comma + 1, -1);
    if (seq !== 0) {
      if (seq <= this.lastSeq) return; // resent after a reconnect: already delivered
      this.lastSeq = seq;
    }
    if (this.socket.readyState === CONNECTING) {
      this.socket.readyState = OPEN;
      this.record.openMs = Math.round(now() - this.socket._created);
      this.record.transport = this.socket.transport;
      this.socket._fire('open', { type: 'open' });
    }
    this.socket._fire('message', { type: 'message', data: message });
    if (seq === 0) this.lost('broker ended the session'); // a notice: nothing follows it
  };

  XhrSession.prototype.send = function (text) {
    this.outbox.push(text);
    this.pump();
  };

  // One POST at a time keeps the order PeerJS sent in (separate requests could overtake each other).
  XhrSession.prototype.pump = function () {
    if (this.posting || this.closed || !this.outbox.length) return;
    var self = this;
    var text = this.outbox[0];
    var type;
    try {
      type = String(JSON.parse(text).type || 'message').toLowerCase();
    } catch (e) {
      type = 'message';
    }
    this.posting = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', this.base + '/' + encodeURIComponent(type) + '?ack=' + this.lastSeq, true);
    // text/plain keeps it a "simple" cross-origin request: no preflight round trip per message.
    xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
    xhr.onloadend = function () {
      self.posting = false;
      if (self.closed) return;
      if (xhr.status === 200 || xhr.status === 400 || xhr.status === 404 || xhr.status === 413) {
        // Taken, or refused for what it is (a WebSocket would have dropped it too): next one.
        if (xhr.status !== 200) log('message refused with', xhr.status, text.slice(0, 80));
        self.outbox.shift();
        self.pump();
      } else if (xhr.status === 401) {
        self.lost('broker no longer knows this peer');
      } else {
        setTimeout(function () { self.pump(); }, settings.retryDelay);
      }
    };
    xhr.send(text);
  };

  XhrSession.prototype.lost = function (reason) {
    if (this.closed) return;
    log('XHR session lost:', reason);
    this.stop();
    this.socket.readyState = CLOSED;
    this.socket._fire('close', { type: 'close', code: 1006, reason: reason, wasClean: false });
  };

  XhrSession.prototype.stop = function () {
    this.closed = true;
    if (this.reader) {
      this.reader.abort();
      this.reader = null;
    }
  };

  // disconnect()/destroy(): LEAVE without dst frees the id at once, like closing a WebSocket.
  XhrSession.prototype.close = function () {
    if (this.closed) return;
    this.stop();
    var url = this.base + '/leave?ack=' + this.lastSeq;
    var body = '{"type":"LEAVE"}';
    if (typeof root.fetch === 'function') {
      root.fetch(url, { method: 'POST', body: body, keepalive: true, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } })
        .catch(function () { /* the grace period removes the peer anyway */ });
    } else {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url, true);
      xhr.setRequestHeader('Content-Type', 'text/plain;charset=UTF-8');
      xhr.send(body);
    }
  };

  // ---------------------------------------------------------------------------------------------
  // Installation.

  function WebSocketWithFallback(url, protocols) {
    var base = xhrBase(url);
    if (!base) return protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    return new FallbackSocket(url, protocols, base);
  }
  WebSocketWithFallback.prototype = NativeWebSocket.prototype;
  WebSocketWithFallback.CONNECTING = CONNECTING;
  WebSocketWithFallback.OPEN = OPEN;
  WebSocketWithFallback.CLOSING = CLOSING;
  WebSocketWithFallback.CLOSED = CLOSED;
  WebSocketWithFallback.peerXhrFallback = true;

  var api = {
    version: '0.1.0',
    settings: settings,
    stats: stats,
    NativeWebSocket: NativeWebSocket,
    configure: function (options) {
      Object.keys(options || {}).forEach(function (name) {
        if (!(name in settings)) throw new Error('peerjs-xhr-fallback: unknown setting ' + name);
        settings[name] = options[name];
      });
      return settings;
    },
    uninstall: function () {
      if (root.WebSocket === WebSocketWithFallback) root.WebSocket = NativeWebSocket;
    },
  };
  var early = root.PeerXhrFallback;
  if (early && typeof early === 'object' && typeof early.configure !== 'function') api.configure(early);
  root.PeerXhrFallback = api;
  root.WebSocket = WebSocketWithFallback;
})(typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : undefined);
