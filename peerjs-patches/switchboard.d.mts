// Types for switchboard.mjs: `import { Switchboard } from 'peerjs-xhr-fallback/switchboard'`.
import type SwitchboardTypes from './switchboard.js';

export type {
  AttachOptions, Call, CallBase, CallError, CallEvents, CallMedia, CallState, Calls, CallsEvents, Emitter, EndInfo,
  EndReason, FetchIceServersOptions, Ice, IceEvents, IceServers, IceServersError, IncomingCall, Instance,
  InviteOptions, OutgoingCall, OutgoingCallEvents, Presence, PresenceEntry, PresenceError, PresenceEvents,
  PresenceStatus, RoomError, RoomErrorCode, Rooms, RoomsEvents, StreamOption, Api,
} from './switchboard.js';

export declare const Switchboard: SwitchboardTypes.Api;
export default Switchboard;
