// Stand-ins for the browser's WebSocket and for a PeerJS Peer, enough to load and attach the add-ons.
'use strict';

class FakeWebSocket {
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
  }
}

function emitter() {
  const handlers = {};
  return {
    on(event, handler) { (handlers[event] = handlers[event] || []).push(handler); return this; },
    off(event, handler) { handlers[event] = (handlers[event] || []).filter((h) => h !== handler); return this; },
    emit(event, ...args) { (handlers[event] || []).forEach((h) => h(...args)); },
  };
}

/** An open Peer whose socket records what the add-on sends. */
function fakePeer() {
  const socket = Object.assign(emitter(), { sent: [] });
  socket.send = (frame) => socket.sent.push(frame);
  return Object.assign(emitter(), {
    open: true, disconnected: false, destroyed: false, socket, options: {}, call() { return null; },
  });
}

module.exports = { FakeWebSocket, fakePeer };
