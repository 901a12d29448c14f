/*!
 * switchboard.js: Switchboard's broker features for unmodified PeerJS 1.x — calls that ring every
 * device of a user, with ringing, accept, decline, cancel and hang-up handled by the broker; rooms
 * created and joined by id, optionally forming a full mesh of DataConnections.
 *
 *   <script src="peerjs.min.js"></script>
 *   <script src="switchboard.js"></script>
 *   <script>
 *     const peer = new Peer(id, { host, port, path, token });
 *     const sb = Switchboard.attach(peer);
 *     const call = sb.calls.invite('bob', { media: { audio: true, video: true } });
 *     call.on('stream', (remote) => { video.srcObject = remote; });
 *     sb.calls.on('incoming', (incoming) => showRinger(incoming));   // incoming.accept() / .reject()
 *     // TURN credentials: attach right after new Peer and ICE-SERVERS frames keep
 *     // peer.options.config.iceServers fresh; or fetch them first:
 *     //   const { iceServers } = await Switchboard.fetchIceServers({ host, port, path, key, token });
 *     //   new Peer(id, { host, port, path, token, config: { iceServers } });
 *   </script>
 *
 * Or as an ES module: `import { Switchboard } from 'peerjs-xhr-fallback/switchboard'`.
 *
 * It uses only what PeerJS 1.5.5 documents or declares: peer.socket (an event emitter that emits every
 * broker frame as 'message' and sends a frame with send(obj)), the 'open', 'call', 'disconnected' and
 * 'close' events, peer.call() and MediaConnection.answer()/close(). Its frames always carry a `type`
 * and an object `payload` (PeerJS destroys a peer that sends a frame without a type); it reads only the
 * broker frame types it knows and leaves every other one to PeerJS. Frames wait until the peer is open:
 * PeerJS silently drops what is sent while its socket is down. peer.reconnect() keeps the same socket,
 * so the add-on keeps working across reconnects. See README.md and docs/calls.md.
 */
(function (root, factory) {
  var Switchboard = factory(root);
  root.Switchboard = Switchboard;
  if (typeof module === 'object' && module && module.exports) module.exports = Switchboard;
})(typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : this, function (root) {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // A small event emitter (PeerJS's eventemitter3 is not exported by its browser build).

  function Emitter() {
    this._handlers = {};
  }

  Emitter.prototype.on = function (event, handler) {
    (this._handlers[event] = this._handlers[event] || []).push(handler);
    return this;
  };

  Emitter.prototype.once = function (event, handler) {
    var self = this;
    function wrapper() {
      self.off(event, wrapper);
      handler.apply(self, arguments);
    }
    wrapper.handler = handler;
    return this.on(event, wrapper);
  };

  Emitter.prototype.off = function (event, handler) {
    var list = this._handlers[event];
    if (!list) return this;
    this._handlers[event] = list.filter(function (h) { return h !== handler && h.handler !== handler; });
    return this;
  };

  Emitter.prototype.listenerCount = function (event) {
    return (this._handlers[event] || []).length;
  };

  // A throwing listener must not break the add-on's own bookkeeping, so it is reported, not rethrown.
  Emitter.prototype.emit = function (event) {
    var args = [].slice.call(arguments, 1);
    var list = (this._handlers[event] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i].apply(this, args);
      } catch (err) {
        if (root.console) root.console.error('[switchboard] ' + event + ' listener failed', err);
      }
    }
    return list.length > 0;
  };

  function inherit(Child, Parent) {
    Child.prototype = Object.create(Parent.prototype);
    Child.prototype.constructor = Child;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  function compact(object) {
    var out = {};
    Object.keys(object).forEach(function (key) {
      if (object[key] !== undefined) out[key] = object[key];
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // The channel: the add-on's one door to PeerJS's socket, shared by its feature modules.

  function Channel(peer) {
    var self = this;
    this.peer = peer;
    this._modules = [];
    this._queue = [];
    this._onMessage = function (message) { self._dispatch(message); };
    this._onOpen = function () { self._flush(); };
    this._onClose = function () {
      self._queue = [];
      self._modules.forEach(function (module) { if (module.peerDestroyed) module.peerDestroyed(); });
    };
    peer.socket.on('message', this._onMessage);
    peer.on('open', this._onOpen);
    peer.on('close', this._onClose);
  }

  /** A module handles the broker frames whose type starts with `prefix`, e.g. 'CALL-'. */
  Channel.prototype.register = function (prefix, module) {
    this._modules.push({ prefix: prefix, module: module });
  };

  /** Sends a frame now if the peer is open, else when it next opens (PeerJS would drop it). */
  Channel.prototype.send = function (type, payload) {
    var frame = { type: type, payload: payload };
    if (this.peer.open && !this.peer.disconnected && !this.peer.destroyed) this.peer.socket.send(frame);
    else this._queue.push(frame);
  };

  Channel.prototype._flush = function () {
    var queued = this._queue;
    this._queue = [];
    for (var i = 0; i < queued.length; i++) this.send(queued[i].type, queued[i].payload);
  };

  Channel.prototype._dispatch = function (message) {
    if (!message || typeof message.type !== 'string' || !message.payload || typeof message.payload !== 'object') return;
    for (var i = 0; i < this._modules.length; i++) {
      var entry = this._modules[i];
      if (message.type.indexOf(entry.prefix) === 0) {
        entry.module.handle(message.type, message.payload);
        return;
      }
    }
  };

  Channel.prototype.detach = function () {
    this.peer.socket.off('message', this._onMessage);
    this.peer.off('open', this._onOpen);
    this.peer.off('close', this._onClose);
    this._modules.forEach(function (entry) { if (entry.module.detach) entry.module.detach(); });
    this._modules = [];
  };

  // ---------------------------------------------------------------------------------------------
  // Calls: a call object per call, outgoing or incoming, kept in step with the broker's frames.

  var METADATA_KEY = 'switchboardCallId';

  // The getUserMedia constraints for a call's `media`: 'audio', 'video' or {audio, video}.
  function constraintsFor(media) {
    if (media === 'audio') return { audio: true, video: false };
    if (media && typeof media === 'object' && ('audio' in media || 'video' in media)) {
      return { audio: !!media.audio, video: !!media.video };
    }
    return { audio: true, video: true };
  }

  // A stream option may be a MediaStream, a promise of one, a function returning either, or null
  // (receive only); left out, the browser's camera and microphone are asked for per `media`.
  function resolveStream(option, media, hasOption) {
    if (typeof option === 'function') option = option();
    if (hasOption) return Promise.resolve(option || null);
    return root.navigator.mediaDevices.getUserMedia(constraintsFor(media));
  }

  /** What outgoing and incoming calls share: state, the media connection, ending. */
  function Call(calls, callId, direction) {
    Emitter.call(this);
    this._calls = calls;
    this.callId = callId;
    this.direction = direction;
    this.state = 'new';
    this.peer = null;          // the other party's peer id, once known
    this.connection = null;    // the PeerJS MediaConnection, once placed or answered
    this.remoteStream = null;
    this.reason = null;        // why it ended
  }
  inherit(Call, Emitter);

  Call.prototype._send = function (type, payload) {
    this._calls._channel.send(type, compact(Object.assign({ callId: this.callId }, payload || {})));
  };

  Call.prototype._attach = function (connection) {
    var self = this;
    this.connection = connection;
    // PeerJS emits 'stream' once per remote track, with the same stream each time.
    connection.on('stream', function (stream) {
      if (self.remoteStream === stream || self.state === 'ended') return;
      self.remoteStream = stream;
      self.emit('stream', stream);
    });
    connection.on('close', function () {
      if (self.connection === connection && self.state !== 'ended') self.emit('mediaclose');
    });
    connection.on('error', function (err) {
      self.emit('error', { code: 'media', msg: String(err && err.message || err) });
    });
    this.emit('media', connection);
  };

  /**
   * Ends the call locally: closes its media, forgets it, emits 'ended' once with the reason and
   * {local} plus what else the broker said (a hang-up's `detail`, a glare's `replacedBy`).
   */
  Call.prototype._end = function (reason, local, payload) {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.reason = reason;
    this._calls._forget(this);
    if (this.connection) this.connection.close();
    var info = { local: !!local };
    Object.keys(payload || {}).forEach(function (key) {
      if (key !== 'callId' && key !== 'reason') info[key] = payload[key];
    });
    this.emit('ended', reason, info);
  };

  Call.prototype._failMedia = function (err) {
    this.emit('error', { code: 'media', msg: String(err && err.message || err) });
    this.hangup();
  };

  /**
   * Ends an accepted call for both parties (CALL-HANGUP, with an optional short `detail` token such
   * as 'ice_failed' that the other party gets in its 'ended'); before acceptance it cancels or rejects.
   */
  Call.prototype.hangup = function (detail) {
    if (this.state === 'ended') return;
    if (this.state !== 'accepted' && this.state !== 'accepting') {
      if (this.direction === 'outgoing') this.cancel();
      else this.reject('declined');
      return;
    }
    this._send('CALL-HANGUP', { reason: detail });
    this._end('hangup', true, detail ? { detail: detail } : null);
  };

  // --- outgoing ---

  function OutgoingCall(calls, callId, to, options) {
    Call.call(this, calls, callId, 'outgoing');
    this.to = to;
    this.media = options.media;
    this.metadata = options.metadata;
    this.devices = null;
    this._stream = resolveStream(options.stream, options.media, 'stream' in options);
    this._stream.catch(function () { /* reported when the call needs it */ });
  }
  inherit(OutgoingCall, Call);

  /** Stops ringing every device (CALL-CANCEL); after acceptance it hangs up. */
  OutgoingCall.prototype.cancel = function () {
    if (this.state === 'ended') return;
    if (this.state === 'accepted') return this.hangup();
    this._send('CALL-CANCEL');
    this._end('cancelled', true);
  };

  OutgoingCall.prototype._frame = function (type, p) {
    if (type === 'CALL-TRYING') {
      this.devices = p.devices;
      if (this.state === 'inviting') this.state = 'trying';
      this.emit('trying', { devices: p.devices, woken: p.woken });
    } else if (type === 'CALL-RINGING') {
      if (this.state === 'inviting' || this.state === 'trying') this.state = 'ringing';
      this.emit('ringing', { peer: p.peer });
    } else if (type === 'CALL-ACCEPTED') {
      this.state = 'accepted';
      this.peer = p.peer;
      this.emit('accepted', { peer: p.peer });
      this._placeMedia();
    }
  };

  // The accepting device waits for our PeerJS OFFER: place the media call to it.
  OutgoingCall.prototype._placeMedia = function () {
    var self = this;
    this._stream.then(function (stream) {
      if (self.state !== 'accepted') return;
      if (!stream) throw new Error('a caller needs a local stream: PeerJS cannot call without one');
      var metadata = {};
      metadata[METADATA_KEY] = self.callId;
      var connection = self._calls._peer.call(self.peer, stream, { metadata: metadata });
      if (!connection) throw new Error('PeerJS did not place the media call');
      self._attach(connection);
    }).catch(function (err) { self._failMedia(err); });
  };

  // --- incoming ---

  function IncomingCall(calls, p) {
    Call.call(this, calls, p.callId, 'incoming');
    this.state = 'incoming';
    this.from = p.from;
    this.fromPeer = p.fromPeer;
    this.peer = p.fromPeer;
    this.media = p.media;
    this.metadata = p.metadata;
    this.expiresAt = p.expiresAt;
    this._stream = null;
    this._pendingOffer = null;
  }
  inherit(IncomingCall, Call);

  /** Tells the caller this device rings (CALL-RINGING); done on receipt unless autoRing is off. */
  IncomingCall.prototype.ring = function () {
    if (this.state !== 'incoming') return;
    this.state = 'ringing';
    this._send('CALL-RINGING');
  };

  /** Takes the call on this device (CALL-ACCEPT); the media is answered with `stream` when it arrives. */
  IncomingCall.prototype.accept = function (options) {
    if (this.state !== 'incoming' && this.state !== 'ringing') return;
    options = options || {};
    this.state = 'accepting';
    this._stream = resolveStream(options.stream, this.media, 'stream' in options);
    this._stream.catch(function () { /* reported when the offer arrives */ });
    this._send('CALL-ACCEPT');
    if (this._pendingOffer) this._answer(this._pendingOffer);
  };

  /** Refuses the call: 'declined' ends it everywhere, 'busy' only takes this device out. */
  IncomingCall.prototype.reject = function (reason) {
    if (this.state === 'ended') return;
    if (this.state === 'accepted' || this.state === 'accepting') return this.hangup();
    reason = reason === 'busy' ? 'busy' : 'declined';
    this._send('CALL-REJECT', { reason: reason });
    this._end(reason, true);
  };

  IncomingCall.prototype._frame = function (type, p) {
    if (type === 'CALL-ACCEPTED' && this.state === 'accepting') {
      this.state = 'accepted';
      if (p.peer) this.peer = p.peer;
      this.emit('accepted', { peer: this.peer });
    }
  };

  // The caller's OFFER for this call: answered once this device has accepted.
  IncomingCall.prototype._offer = function (connection) {
    if (connection.peer !== this.peer) return connection.close();
    if (this.state === 'accepting' || this.state === 'accepted') this._answer(connection);
    else this._pendingOffer = connection;
  };

  IncomingCall.prototype._answer = function (connection) {
    var self = this;
    this._pendingOffer = null;
    this._attach(connection);
    this._stream.then(function (stream) {
      if (self.state === 'ended') return;
      if (stream) connection.answer(stream);
      else connection.answer();
    }).catch(function (err) { self._failMedia(err); });
  };

  // --- the calls module ---

  function Calls(channel, peer, options) {
    Emitter.call(this);
    var self = this;
    this._channel = channel;
    this._peer = peer;
    this._autoRing = options.autoRing !== false;
    this._outgoing = {};
    this._incoming = {};
    this._onCall = function (connection) { self._mediaOffer(connection); };
    peer.on('call', this._onCall);
  }
  inherit(Calls, Emitter);

  /** Rings every device of user `to`; returns the call. Options: media, ringMs, metadata, stream, callId. */
  Calls.prototype.invite = function (to, options) {
    if (typeof to !== 'string' || !to) throw new TypeError('switchboard: invite needs a user id');
    options = options || {};
    var call = new OutgoingCall(this, options.callId || randomId(), to, options);
    this._outgoing[call.callId] = call;
    call.state = 'inviting';
    call._send('CALL-INVITE', { to: to, media: options.media, ringMs: options.ringMs, metadata: options.metadata });
    return call;
  };

  /** The calls in progress on this peer, outgoing and incoming. */
  Calls.prototype.list = function () {
    var all = [];
    var self = this;
    Object.keys(this._outgoing).forEach(function (id) { all.push(self._outgoing[id]); });
    Object.keys(this._incoming).forEach(function (id) { all.push(self._incoming[id]); });
    return all;
  };

  Calls.prototype._forget = function (call) {
    var map = call.direction === 'outgoing' ? this._outgoing : this._incoming;
    if (map[call.callId] === call) delete map[call.callId];
  };

  Calls.prototype.handle = function (type, p) {
    var incoming = this._incoming[p.callId];
    var outgoing = this._outgoing[p.callId];
    switch (type) {
      case 'CALL-INCOMING': return this._incomingCall(p);
      case 'CALL-TRYING':
      case 'CALL-RINGING':
        if (outgoing) outgoing._frame(type, p);
        return;
      case 'CALL-ACCEPTED':
        // A device calling its own user may hold both sides of one call id.
        if (incoming && incoming.state === 'accepting') incoming._frame(type, p);
        else if (outgoing) outgoing._frame(type, p);
        return;
      case 'CALL-ENDED':
        if (incoming) incoming._end(p.reason, false, p);
        if (outgoing) outgoing._end(p.reason, false, p);
        return;
      case 'CALL-ERROR': return this._error(incoming || outgoing, p);
      default: return; // a later broker's frame: not ours to interpret
    }
  };

  Calls.prototype._incomingCall = function (p) {
    if (!p.callId || this._incoming[p.callId]) return;
    var call = new IncomingCall(this, p);
    this._incoming[call.callId] = call;
    var heard = this.emit('incoming', call);
    // Rung after the listeners, so one that rejects at once ('busy') never rings.
    if (heard && this._autoRing) call.ring();
  };

  Calls.prototype._error = function (call, p) {
    var error = { callId: p.callId, code: p.code, msg: p.msg };
    if (!call) {
      this.emit('error', error);
      return;
    }
    call.emit('error', error);
    // A refused invite never became a call on the broker.
    if (call.state === 'inviting') call._end('error', true);
  };

  Calls.prototype._mediaOffer = function (connection) {
    var callId = connection.metadata && connection.metadata[METADATA_KEY];
    if (typeof callId !== 'string') return; // the application's own media call
    var call = this._incoming[callId];
    if (call) call._offer(connection);
    else connection.close(); // an offer for a call that ended or was never ours to answer
  };

  Calls.prototype.peerDestroyed = function () {
    this.list().forEach(function (call) { call._end('destroyed', true); });
  };

  Calls.prototype.detach = function () {
    this._peer.off('call', this._onCall);
  };


  // ---------------------------------------------------------------------------------------------
  // Rooms: created and joined by id; members told of each other. With {mesh: true} the add-on opens a
  // PeerJS DataConnection to every member (the joiner dials those already there; later members dial it),
  // so a room of N forms a full mesh with no signalling code in the application.

  var ROOM_KEY = 'switchboardRoom';
  var ROOM_ID = /^[A-Za-z0-9._:-]{1,64}$/;

  // Which pending request a ROOM-ERROR code can answer.
  var ERROR_KINDS = {
    exists: ['create'], full: ['join'], forbidden: ['join'], not_found: ['join', 'leave'],
    limit: ['create', 'join'], invalid: ['create', 'join', 'leave'], unavailable: ['create', 'join', 'leave'],
  };

  function roomError(p) {
    var err = new Error(p.msg || p.code);
    err.code = p.code;
    err.roomId = p.roomId;
    return err;
  }

  function Rooms(channel, peer) {
    Emitter.call(this);
    var self = this;
    this._channel = channel;
    this._peer = peer;
    this._pending = {};  // roomId -> [{kind, resolve, reject, options}], oldest first
    this._rooms = {};    // roomId -> {members: [peer ids], capacity, mesh, connections: {peer: DataConnection}}
    this._onConnection = function (connection) { self._incoming(connection); };
    peer.on('connection', this._onConnection);
  }
  inherit(Rooms, Emitter);

  Rooms.prototype._request = function (kind, roomId, type, payload, options) {
    var self = this;
    if (typeof roomId !== 'string' || !ROOM_ID.test(roomId)) {
      return Promise.reject(roomError({ code: 'invalid', msg: 'roomId must be 1 to 64 of A-Z a-z 0-9 . _ : -', roomId: roomId }));
    }
    return new Promise(function (resolve, reject) {
      (self._pending[roomId] = self._pending[roomId] || []).push({ kind: kind, resolve: resolve, reject: reject, options: options || {} });
      self._channel.send(type, compact(Object.assign({ roomId: roomId }, payload || {})));
    });
  };

  // The oldest pending request of the room that `kinds` allows; taken off the list.
  Rooms.prototype._take = function (roomId, kinds) {
    var list = this._pending[roomId] || [];
    for (var i = 0; i < list.length; i++) {
      if (kinds.indexOf(list[i].kind) >= 0) {
        var entry = list.splice(i, 1)[0];
        if (!list.length) delete this._pending[roomId];
        return entry;
      }
    }
    return null;
  };

  /** Creates a room (the creator is not a member): resolves {roomId, capacity}. A roomId is made if none is given. */
  Rooms.prototype.create = function (options) {
    options = options || {};
    var roomId = options.roomId || randomId();
    return this._request('create', roomId, 'ROOM-CREATE', { capacity: options.capacity, emptyTimeoutMs: options.emptyTimeoutMs });
  };

  /**
   * Joins a room: resolves {roomId, members, capacity} (members: the other members' peer ids); rejects
   * with an Error whose `code` is the broker's (full, not_found, forbidden, limit, invalid, unavailable).
   * With {mesh: true} a DataConnection is opened to every member ('connection' events).
   */
  Rooms.prototype.join = function (roomId, options) {
    return this._request('join', roomId, 'ROOM-JOIN', null, options);
  };

  /** Leaves a room: resolves {roomId}; the room's mesh connections are closed. */
  Rooms.prototype.leave = function (roomId) {
    return this._request('leave', roomId, 'ROOM-LEAVE');
  };

  /** The other members of a joined room, as last told by the broker. */
  Rooms.prototype.members = function (roomId) {
    var room = this._rooms[roomId];
    return room ? room.members.slice() : [];
  };

  /** The open mesh connections of a room, by peer id. */
  Rooms.prototype.connections = function (roomId) {
    var room = this._rooms[roomId];
    return room ? Object.assign({}, room.connections) : {};
  };

  Rooms.prototype.handle = function (type, p) {
    var entry;
    switch (type) {
      case 'ROOM-CREATED':
        entry = this._take(p.roomId, ['create']);
        if (entry) entry.resolve({ roomId: p.roomId, capacity: p.capacity });
        return;
      case 'ROOM-JOINED':
        entry = this._take(p.roomId, ['join']);
        return this._joined(p, entry);
      case 'ROOM-LEFT':
        entry = this._take(p.roomId, ['leave']);
        this._closeRoom(p.roomId);
        if (entry) entry.resolve({ roomId: p.roomId });
        else this.emit('left', { roomId: p.roomId });
        return;
      case 'ROOM-MEMBER': return this._member(p);
      case 'ROOM-ERROR':
        entry = p.roomId ? this._take(p.roomId, ERROR_KINDS[p.code] || ['create', 'join', 'leave']) : null;
        if (entry) entry.reject(roomError(p));
        else this.emit('error', roomError(p));
        return;
      default: return; // a later broker's frame: not ours to interpret
    }
  };

  Rooms.prototype._joined = function (p, entry) {
    var room = this._rooms[p.roomId];
    var mesh = entry ? !!entry.options.mesh : !!(room && room.mesh);
    if (!room) room = this._rooms[p.roomId] = { members: [], capacity: p.capacity, mesh: mesh, connections: {} };
    room.members = (p.members || []).slice();
    room.capacity = p.capacity;
    room.mesh = mesh;
    if (mesh) {
      var self = this;
      room.members.forEach(function (member) { if (!room.connections[member]) self._dial(p.roomId, member); });
    }
    if (entry) entry.resolve({ roomId: p.roomId, members: room.members.slice(), capacity: p.capacity });
  };

  Rooms.prototype._member = function (p) {
    var room = this._rooms[p.roomId];
    if (room) {
      if (p.event === 'joined' && room.members.indexOf(p.peer) < 0) room.members.push(p.peer);
      if (p.event === 'left') {
        room.members = room.members.filter(function (m) { return m !== p.peer; });
        var connection = room.connections[p.peer];
        delete room.connections[p.peer];
        if (connection) connection.close();
      }
    }
    // A member that arrives later dials us: its connection comes through _incoming.
    this.emit('member', { roomId: p.roomId, peer: p.peer, event: p.event });
  };

  Rooms.prototype._dial = function (roomId, member) {
    var metadata = {};
    metadata[ROOM_KEY] = roomId;
    var connection = this._peer.connect(member, { metadata: metadata, reliable: true });
    if (connection) this._track(roomId, member, connection);
  };

  Rooms.prototype._incoming = function (connection) {
    var roomId = connection.metadata && connection.metadata[ROOM_KEY];
    if (typeof roomId !== 'string') return; // the application's own connection
    var room = this._rooms[roomId];
    if (!room || !room.mesh) return connection.close();
    this._track(roomId, connection.peer, connection);
  };

  Rooms.prototype._track = function (roomId, member, connection) {
    var self = this;
    var room = this._rooms[roomId];
    var previous = room.connections[member];
    room.connections[member] = connection;
    if (previous && previous !== connection) previous.close();
    connection.on('open', function () {
      if (self._rooms[roomId] && self._rooms[roomId].connections[member] === connection) {
        self.emit('connection', { roomId: roomId, peer: member, connection: connection });
      }
    });
    connection.on('close', function () {
      var now = self._rooms[roomId];
      if (now && now.connections[member] === connection) delete now.connections[member];
    });
  };

  Rooms.prototype._closeRoom = function (roomId) {
    var room = this._rooms[roomId];
    delete this._rooms[roomId];
    if (!room) return;
    Object.keys(room.connections).forEach(function (member) { room.connections[member].close(); });
  };

  Rooms.prototype.peerDestroyed = function () {
    var self = this;
    Object.keys(this._pending).forEach(function (roomId) {
      self._pending[roomId].forEach(function (entry) { entry.reject(roomError({ code: 'destroyed', msg: 'the peer was destroyed', roomId: roomId })); });
    });
    this._pending = {};
    Object.keys(this._rooms).forEach(function (roomId) { self._closeRoom(roomId); });
  };

  Rooms.prototype.detach = function () {
    this._peer.off('connection', this._onConnection);
  };

  // ---------------------------------------------------------------------------------------------
  // Presence: set this user's status, watch users, a 'change' per user (docs/rooms-presence.md).

  var PRESENCE_STATUSES = ['online', 'away', 'busy', 'dnd'];

  /**
   * sb.presence: set(status, note), watch(users) → Promise of {user: {status, note, devices}},
   * unwatch(users), get(user); events 'change' ({user, status, note, devices}) and 'error' ({code, msg,
   * request}). Room mates' presence arrives as 'change' without watching. After a reconnect the
   * watched users are watched again (a watch list belongs to a connection).
   */
  function Presence(channel) {
    Emitter.call(this);
    var self = this;
    this._channel = channel;
    this._watched = {};
    this._known = {};
    this._waiting = [];
    this._opened = !!channel.peer.open;
    this._onOpen = function () {
      if (self._opened) self._rewatch();
      self._opened = true;
    };
    channel.peer.on('open', this._onOpen);
    channel.register('PRESENCE', this);
  }
  inherit(Presence, Emitter);

  Presence.prototype.set = function (status, note) {
    if (PRESENCE_STATUSES.indexOf(status) < 0) throw new TypeError('switchboard: status must be one of ' + PRESENCE_STATUSES.join(', '));
    this._channel.send('PRESENCE-SET', compact({ status: status, note: note == null ? undefined : String(note) }));
  };

  Presence.prototype.watch = function (users) {
    var self = this;
    users = [].concat(users || []);
    users.forEach(function (user) { self._watched[user] = true; });
    return new Promise(function (resolve, reject) {
      self._waiting.push({ resolve: resolve, reject: reject });
      self._channel.send('PRESENCE-WATCH', { users: users });
    });
  };

  Presence.prototype.unwatch = function (users) {
    var self = this;
    users = [].concat(users || []);
    users.forEach(function (user) { delete self._watched[user]; });
    this._channel.send('PRESENCE-UNWATCH', { users: users });
  };

  /** The last known entry of `user` ({status, note, devices}), or undefined. */
  Presence.prototype.get = function (user) {
    return this._known[user] ? Object.assign({}, this._known[user]) : undefined;
  };

  Presence.prototype._rewatch = function () {
    var users = Object.keys(this._watched);
    // The answer is a snapshot nobody waits for: its entries arrive as 'change' where they differ.
    if (users.length) this._channel.send('PRESENCE-WATCH', { users: users });
  };

  Presence.prototype.handle = function (type, p) {
    if (type === 'PRESENCE') return this._presence(p);
    if (type !== 'PRESENCE-ERROR') return; // a later broker's frame: not ours to interpret
    var error = { code: p.code, msg: p.msg, request: p.request };
    if (p.request === 'PRESENCE-WATCH' && this._waiting.length) {
      var failed = new Error(p.msg);
      failed.code = p.code;
      this._waiting.shift().reject(failed);
    }
    this.emit('error', error);
  };

  Presence.prototype._presence = function (p) {
    var self = this;
    var users = p.users && typeof p.users === 'object' ? p.users : {};
    Object.keys(users).forEach(function (user) {
      var entry = users[user] || {};
      var was = self._known[user];
      var now = { status: entry.status, note: entry.note == null ? null : entry.note, devices: entry.devices };
      self._known[user] = now;
      if (!was || was.status !== now.status || was.note !== now.note || was.devices !== now.devices) {
        self.emit('change', { user: user, status: now.status, note: now.note, devices: now.devices });
      }
    });
    if (p.snapshot && this._waiting.length) this._waiting.shift().resolve(users);
  };

  Presence.prototype.peerDestroyed = function () {
    var waiting = this._waiting;
    this._waiting = [];
    waiting.forEach(function (w) { w.reject(new Error('peer destroyed')); });
  };

  Presence.prototype.detach = function () {
    this._channel.peer.off('open', this._onOpen);
  };
  // ICE servers: fresh TURN credentials from the broker's ICE-SERVERS frames (docs/turn.md).

  /**
   * Keeps peer.options.config.iceServers current: PeerJS builds each new RTCPeerConnection from
   * peer.options.config at that moment, so every later connection uses the newest credentials.
   * The config object is replaced, not changed in place (it may be PeerJS's shared default), and
   * its other keys (iceTransportPolicy …) are kept. Emits 'servers' with the frame's payload.
   */
  function Ice(peer) {
    Emitter.call(this);
    this._peer = peer;
    this.servers = null;     // the last payload: {iceServers, ttl, expiresAt}
  }
  inherit(Ice, Emitter);

  Ice.prototype.handle = function (type, p) {
    if (type !== 'ICE-SERVERS' || !Array.isArray(p.iceServers)) return;
    this.servers = p;
    this._peer.options.config = Object.assign({}, this._peer.options.config, { iceServers: p.iceServers });
    this.emit('servers', p);
  };

  /**
   * GET {path}{key}/ice before creating the Peer: resolves the broker's answer {iceServers, ttl,
   * expiresAt} (use it as `config: {iceServers: answer.iceServers}`), rejects with an Error carrying
   * `status` and the broker's `error` code. Options as PeerJS's: host, port, path, key, secure, plus
   * token (sent as a Bearer header) and id (the peer id to sign for, with auth none).
   */
  function fetchIceServers(options) {
    options = options || {};
    var secure = options.secure !== undefined ? !!options.secure : root.location && root.location.protocol === 'https:';
    var host = options.host || (root.location && root.location.hostname);
    var port = options.port || (root.location && root.location.port) || (secure ? 443 : 80);
    var path = options.path || '/';
    if (path.charAt(path.length - 1) !== '/') path += '/';
    if (path.charAt(0) !== '/') path = '/' + path;
    var url = (secure ? 'https://' : 'http://') + (host.indexOf(':') >= 0 ? '[' + host + ']' : host) + ':' + port
      + path + encodeURIComponent(options.key || 'peerjs') + '/ice' + (options.id ? '?id=' + encodeURIComponent(options.id) : '');
    var headers = options.token ? { Authorization: 'Bearer ' + options.token } : {};
    return root.fetch(url, { headers: headers, cache: 'no-store', credentials: options.credentials || 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) return body;
          var err = new Error('switchboard: /ice answered ' + response.status + (body.message ? ': ' + body.message : ''));
          err.status = response.status;
          err.code = body.error;
          throw err;
        });
      });
  }

  // ---------------------------------------------------------------------------------------------
  // attach(): one Switchboard object per Peer, with its feature modules on one channel.

  var attached = typeof WeakMap === 'function' ? new WeakMap() : null;

  function attach(peer, options) {
    if (!peer || !peer.socket || typeof peer.socket.on !== 'function' || typeof peer.call !== 'function') {
      throw new TypeError('switchboard: attach needs a PeerJS 1.x Peer');
    }
    if (attached && attached.has(peer)) return attached.get(peer);
    options = options || {};
    var channel = new Channel(peer);
    var calls = new Calls(channel, peer, options.calls || {});
    channel.register('CALL-', calls);
    var rooms = new Rooms(channel, peer);
    channel.register('ROOM-', rooms);
    var ice = new Ice(peer);
    channel.register('ICE-SERVERS', ice);
    var instance = {
      peer: peer,
      calls: calls,
      rooms: rooms,
      ice: ice,
      /** Stops listening to the peer; calls in progress are left as they are. */
      detach: function () {
        channel.detach();
        if (attached) attached.delete(peer);
      },
    };
    instance.presence = new Presence(channel);
    if (attached) attached.set(peer, instance);
    return instance;
  }

  return {
    version: '0.1.0',
    attach: attach,
    fetchIceServers: fetchIceServers,
    /** True for a MediaConnection the add-on places or answers itself (an app's 'call' listener skips it). */
    isCallMedia: function (connection) {
      return !!(connection && connection.metadata && typeof connection.metadata[METADATA_KEY] === 'string');
    },
  };
});
