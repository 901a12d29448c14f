// The --demo page: unmodified PeerJS 1.5.5 plus the Switchboard add-on (switchboard.js), no build step.
// Everyone joins the room "demo-lobby", so with the broker's defaults (no --auth, no --allow_discovery)
// they see each other's presence as room mates (docs/rooms-presence.md#scope). The page's state is on
// <body>: data-state (signed-out | connecting | online) and data-call (idle | calling | ringing | in-call).
(function () {
  'use strict';

  var LOBBY = 'demo-lobby';
  var ROOM_CAPACITY = 4;
  var ID_RULE = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/; // PeerJS 1.5.5's own check of an id
  var FATAL = ['unavailable-id', 'invalid-id', 'invalid-key', 'server-error', 'browser-incompatible', 'ssl-unavailable'];

  var $ = function (id) { return document.getElementById(id); };
  var config = null;
  var peer = null;
  var sb = null;
  var call = null;          // the one call this page has, outgoing or incoming
  var localStream = null;
  var room = null;          // the room joined with the form (besides the lobby)
  var online = new Set();   // lobby members other than me
  var roomMembers = [];
  var statuses = new Map(); // user -> presence status pushed by the broker

  // --- errors: always visible, in words ---

  function showError(text) {
    $('error').textContent = text;
    $('error').hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
  }

  function peerErrorText(err) {
    var name = peer ? peer.id || $('name').value : '';
    switch (err.type) {
      case 'unavailable-id': return 'The name "' + name + '" is taken: pick another.';
      case 'invalid-id': return 'Names are letters and digits, with single spaces, - or _ between them.';
      case 'server-error': return 'The broker refused: ' + err.message;
      case 'network': return 'Lost the broker: ' + err.message;
      case 'browser-incompatible': return 'This browser has no WebRTC.';
      default: return 'PeerJS error ' + err.type + ': ' + err.message;
    }
  }

  // --- signing in ---

  fetch('config.json').then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }).then(function (loaded) {
    config = loaded;
    $('key-field').hidden = !!config.key;
    $('token-field').hidden = config.auth === 'none';
    $('lobby-name').textContent = LOBBY;
  }).catch(function (err) {
    showError('Cannot read config.json from the broker (' + err.message + '): is it running with --demo?');
  });

  $('signin').addEventListener('submit', function (event) {
    event.preventDefault();
    clearError();
    var name = $('name').value.trim();
    if (!config) return showError('The page has no config.json from the broker yet; reload it.');
    if (!ID_RULE.test(name)) return showError('Names are letters and digits, with single spaces, - or _ between them.');
    connect(name);
  });

  function connect(name) {
    document.body.dataset.state = 'connecting';
    $('connect').disabled = true;
    var secure = location.protocol === 'https:';
    var options = {
      host: location.hostname,
      port: Number(location.port) || (secure ? 443 : 80),
      path: config.path,
      key: config.key || $('key').value,
      secure: secure,
      // Two tabs on one machine need no STUN/TURN; with --turn_uris the add-on pushes servers (ice).
      config: { iceServers: [] },
    };
    // Without --auth PeerJS's own random token must stay: it tells this tab's reconnects from another tab.
    if (config.auth !== 'none') options.token = $('token').value;
    peer = new Peer(name, options);
    sb = Switchboard.attach(peer);
    peer.on('open', onOpen);
    peer.on('error', onPeerError);
    peer.on('disconnected', onDisconnected);
    sb.calls.on('incoming', onIncoming);
    sb.calls.on('error', function (e) { showError('Call: ' + e.msg + ' (' + e.code + ')'); });
    sb.rooms.on('member', onMember);
    sb.rooms.on('left', function (e) { showError('The broker took you out of room ' + e.roomId + ' (you were away too long).'); });
    sb.rooms.on('error', function (e) { showError('Room: ' + e.message + ' (' + e.code + ')'); });
    sb.presence.on('change', function (e) { statuses.set(e.user, e.status); render(); });
    sb.presence.on('error', function (e) { showError('Presence: ' + e.msg + ' (' + e.code + ')'); });
  }

  function onOpen(id) {
    document.body.dataset.state = 'online';
    $('signin').hidden = true;
    $('app').hidden = false;
    $('me').textContent = id;
    $('connection').textContent = 'connected';
    joinRoom(LOBBY, config.lobbyCapacity).then(function (joined) {
      joined.members.forEach(function (member) { online.add(member); });
      render();
    }).catch(function (err) {
      showError('Could not join ' + LOBBY + ' (' + err.code + '): ' + err.message + '. You can still call someone by name from another tab.');
    });
  }

  function onPeerError(err) {
    showError(peerErrorText(err));
    if (FATAL.indexOf(err.type) >= 0 || peer.destroyed) {
      // PeerJS destroys the peer on these: start over with another name, key or token.
      peer.destroy();
      document.body.dataset.state = 'signed-out';
      $('signin').hidden = false;
      $('app').hidden = true;
      $('connect').disabled = false;
    }
  }

  function onDisconnected() {
    if (peer.destroyed) return;
    $('connection').textContent = 'disconnected from the broker: reconnecting…';
    setTimeout(function () { if (!peer.destroyed && peer.disconnected) peer.reconnect(); }, 1000);
    peer.once('open', function () { $('connection').textContent = 'connected'; });
  }

  // --- rooms: the lobby and the one the form joins ---

  // Creates the room if nobody has yet (the creator is not a member), then takes a seat.
  function joinRoom(roomId, capacity) {
    return sb.rooms.create({ roomId: roomId, capacity: capacity }).catch(function (err) {
      if (err.code !== 'exists') throw err;
    }).then(function () {
      return sb.rooms.join(roomId);
    });
  }

  function onMember(e) {
    var list = e.roomId === LOBBY ? null : e.roomId === room ? roomMembers : undefined;
    if (list === undefined) return;
    if (list === null) {
      if (e.event === 'joined') online.add(e.peer); else online.delete(e.peer);
    } else if (e.event === 'joined') {
      if (roomMembers.indexOf(e.peer) < 0) roomMembers.push(e.peer);
    } else {
      roomMembers = roomMembers.filter(function (m) { return m !== e.peer; });
    }
    render();
  }

  $('room-form').addEventListener('submit', function (event) {
    event.preventDefault();
    clearError();
    var roomId = $('room-id').value.trim();
    var leaving = room && room !== roomId ? sb.rooms.leave(room) : Promise.resolve();
    leaving.then(function () {
      room = null;
      return joinRoom(roomId, Math.min(ROOM_CAPACITY, config.lobbyCapacity));
    }).then(function (joined) {
      room = roomId;
      roomMembers = joined.members.slice();
      render();
    }).catch(function (err) {
      showError('Could not join room "' + roomId + '" (' + err.code + '): ' + err.message);
      render();
    });
  });

  $('leave-room').addEventListener('click', function () {
    sb.rooms.leave(room).catch(function (err) { showError('Could not leave (' + err.code + '): ' + err.message); });
    room = null;
    roomMembers = [];
    render();
  });

  // --- calls ---

  function startCall(to) {
    clearError();
    var outgoing = sb.calls.invite(to, { media: { audio: true, video: true }, stream: cameraStream });
    follow(outgoing, to);
    setCall('calling', 'Calling ' + to + '…');
    outgoing.on('ringing', function () { setCall('calling', 'Ringing at ' + to + '…'); });
    outgoing.on('accepted', function () { setCall('in-call', 'In a call with ' + to + '.'); });
    outgoing.on('error', function (e) { showError('The call did not go through (' + e.code + '): ' + e.msg); });
  }

  function onIncoming(incoming) {
    if (call) return incoming.reject('busy'); // this tab has a call: its other devices may still answer
    follow(incoming, incoming.from);
    $('caller').textContent = incoming.from;
    setCall('ringing', incoming.from + ' is calling.');
    incoming.on('accepted', function () { setCall('in-call', 'In a call with ' + incoming.from + '.'); });
  }

  $('accept').addEventListener('click', function () {
    clearError();
    call.accept({ stream: cameraStream() });
    setCall('ringing', 'Answering…');
    $('ringer').hidden = true;
  });
  $('decline').addEventListener('click', function () { call.reject('declined'); });
  $('hangup').addEventListener('click', function () { call.hangup(); });

  function follow(c, other) {
    call = c;
    $('remote-label').textContent = other;
    c.on('stream', function (stream) { play($('remote-video'), stream); });
    c.on('error', function (e) { if (e.code === 'media') showError('Media: ' + e.msg); });
    c.on('ended', function (reason, info) {
      if (call !== c) return;
      call = null;
      if (localStream) localStream.getTracks().forEach(function (t) { t.stop(); });
      localStream = null;
      $('local-video').srcObject = null;
      $('remote-video').srcObject = null;
      setCall('idle', 'Call ended: ' + endText(reason, info, other) + '.');
    });
  }

  function endText(reason, info, other) {
    switch (reason) {
      case 'hangup': return info.local ? 'you hung up' : other + ' hung up';
      case 'declined': return info.local ? 'you declined' : other + ' declined';
      case 'cancelled': return info.local ? 'you cancelled' : other + ' cancelled';
      case 'busy': return other + ' is busy';
      case 'missed': return 'no answer';
      case 'unavailable': return other + ' is not online';
      case 'remote_disconnected': return other + ' went away';
      case 'error': return 'the broker refused it';
      default: return reason;
    }
  }

  function cameraStream() {
    return navigator.mediaDevices.getUserMedia({ audio: true, video: true }).then(function (stream) {
      localStream = stream;
      play($('local-video'), stream);
      return stream;
    }).catch(function (err) {
      showError('No camera or microphone (' + err.name + '): allow them for this page and call again.');
      throw err;
    });
  }

  function play(video, stream) {
    video.srcObject = stream;
    video.play().catch(function () { showError('The browser blocked playback: click the video to start it.'); });
  }
  $('remote-video').addEventListener('click', function () { this.play(); });

  function setCall(state, text) {
    document.body.dataset.call = state;
    $('call-status').textContent = text;
    $('ringer').hidden = state !== 'ringing' || !call || call.state === 'accepting';
    $('hangup').hidden = state !== 'calling' && state !== 'in-call';
    render();
  }

  // --- drawing the lists ---

  function render() {
    var list = $('online');
    list.replaceChildren();
    Array.from(online).sort().forEach(function (id) {
      var status = statuses.get(id) || 'online';
      var button = element('button', 'Call');
      button.type = 'button';
      button.disabled = !!call;
      button.addEventListener('click', function () { startCall(id); });
      list.append(item(id, status, button));
    });
    $('alone').hidden = online.size > 0;

    var members = $('room-members');
    members.replaceChildren();
    roomMembers.forEach(function (id) { members.append(item(id, statuses.get(id) || 'online')); });
    $('leave-room').hidden = !room;
    $('room-status').textContent = !room ? 'Join a room by name; whoever joins the same name is listed here.'
      : roomMembers.length ? 'In room ' + room + ' with:' : 'In room ' + room + ': nobody else yet.';
  }

  function item(id, status, extra) {
    var li = element('li');
    li.dataset.peer = id;
    li.append(element('span', id));
    var badge = element('span', status);
    badge.className = 'status ' + status;
    li.append(badge);
    if (extra) li.append(extra);
    return li;
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    return node;
  }
})();
