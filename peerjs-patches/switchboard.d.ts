// Types for switchboard.js: calls, rooms, presence and TURN credentials for an unmodified PeerJS 1.x
// Peer (README.md, "switchboard.js"). PeerJS's own types come from the `peerjs` package.
// As a script it defines the global Switchboard; required, it is the module's export.
import type { DataConnection, MediaConnection, Peer } from 'peerjs';

declare namespace Switchboard {
  /** A small event emitter: handlers get the arguments of the event's signature in `Events`. */
  interface Emitter<Events extends { [event: string]: (...args: any[]) => void }> {
    on<E extends keyof Events>(event: E, handler: Events[E]): this;
    once<E extends keyof Events>(event: E, handler: Events[E]): this;
    off<E extends keyof Events>(event: E, handler: Events[E]): this;
    listenerCount(event: keyof Events): number;
    emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): boolean;
  }

  // ------------------------------------------------------------------------------------------------
  // Calls (docs/calls.md)

  /** What a call carries: audio, video or both (the default). */
  type CallMedia = 'audio' | 'video' | { audio?: boolean; video?: boolean };

  /** A local stream: a MediaStream, a promise of one, a function returning either, or null (receive only). */
  type StreamOption =
    | MediaStream
    | null
    | Promise<MediaStream | null>
    | (() => MediaStream | null | Promise<MediaStream | null>);

  type CallState = 'new' | 'inviting' | 'trying' | 'ringing' | 'incoming' | 'accepting' | 'accepted' | 'ended';

  /** Why a call ended: the broker's CALL-ENDED reasons, or this device's own action. */
  type EndReason =
    | 'declined'
    | 'busy'
    | 'cancelled'
    | 'missed'
    | 'unavailable'
    | 'answered_elsewhere'
    | 'rejected_elsewhere'
    | 'hangup'
    | 'remote_disconnected'
    | 'signalling_timeout'
    | 'error'
    | 'destroyed';

  interface EndInfo {
    /** true when this device ended it (hangup, cancel, reject, destroy) */
    local: boolean;
    /** the other party's hang-up token, e.g. 'ice_failed' */
    detail?: string;
    /** on glare: the call id that replaced this one */
    replacedBy?: string;
    [key: string]: unknown;
  }

  /** A broker error about a call (CALL-ERROR), or 'media' for a local media failure. */
  interface CallError {
    callId?: string;
    code: string;
    msg: string;
  }

  interface CallEvents {
    accepted(info: { peer: string }): void;
    media(connection: MediaConnection): void;
    stream(remote: MediaStream): void;
    mediaclose(): void;
    ended(reason: EndReason, info: EndInfo): void;
    error(error: CallError): void;
    [event: string]: (...args: any[]) => void;
  }

  interface OutgoingCallEvents extends CallEvents {
    trying(info: { devices: number; woken: number }): void;
    ringing(info: { peer: string }): void;
  }

  /** What outgoing and incoming calls share. */
  interface CallBase<Events extends CallEvents> extends Emitter<Events> {
    readonly callId: string;
    readonly direction: 'outgoing' | 'incoming';
    readonly state: CallState;
    /** the other party's peer id, once known */
    readonly peer: string | null;
    readonly media: CallMedia | undefined;
    readonly metadata: unknown;
    /** the PeerJS MediaConnection, once placed or answered */
    readonly connection: MediaConnection | null;
    readonly remoteStream: MediaStream | null;
    /** why it ended, once it has */
    readonly reason: EndReason | null;
    /**
     * Ends an accepted call for both parties, with an optional short `detail` token (1–64 letters,
     * digits, `_`, `.`, `-`); before acceptance it cancels (outgoing) or declines (incoming).
     */
    hangup(detail?: string): void;
  }

  interface OutgoingCall extends CallBase<OutgoingCallEvents> {
    readonly direction: 'outgoing';
    /** the user called */
    readonly to: string;
    /** how many devices ring, once CALL-TRYING arrived */
    readonly devices: number | null;
    /** Stops ringing every device; after acceptance it hangs up. */
    cancel(): void;
  }

  interface IncomingCall extends CallBase<CallEvents> {
    readonly direction: 'incoming';
    /** the calling user */
    readonly from: string;
    /** the calling device's peer id */
    readonly fromPeer: string;
    /** when the ringing stops (ms since the epoch) */
    readonly expiresAt: number;
    /** Tells the caller this device rings; done on receipt unless `autoRing` is false. */
    ring(): void;
    /** Takes the call on this device; `stream: null` answers receive-only. */
    accept(options?: { stream?: StreamOption }): void;
    /** 'declined' ends the call everywhere, 'busy' only takes this device out. */
    reject(reason?: 'declined' | 'busy'): void;
  }

  type Call = OutgoingCall | IncomingCall;

  interface InviteOptions {
    media?: CallMedia;
    /** how long devices ring, ms (the broker's default 60 000, clamped 5 000–180 000) */
    ringMs?: number;
    /** passed to the callee's devices untouched */
    metadata?: unknown;
    /** left out: the camera and microphone per `media`, asked for at once */
    stream?: StreamOption;
    /** default: 128 random bits */
    callId?: string;
  }

  interface CallsEvents {
    incoming(call: IncomingCall): void;
    error(error: CallError): void;
    [event: string]: (...args: any[]) => void;
  }

  interface Calls extends Emitter<CallsEvents> {
    /** Rings every connected device of user `to`. */
    invite(to: string, options?: InviteOptions): OutgoingCall;
    /** The calls in progress on this peer, outgoing and incoming. */
    list(): Call[];
  }

  // ------------------------------------------------------------------------------------------------
  // Rooms (docs/rooms-presence.md#rooms)

  type RoomErrorCode = 'exists' | 'full' | 'not_found' | 'forbidden' | 'limit' | 'invalid' | 'unavailable' | 'destroyed';

  interface RoomError extends Error {
    code: RoomErrorCode;
    roomId?: string;
  }

  interface RoomsEvents {
    member(info: { roomId: string; peer: string; event: 'joined' | 'left' }): void;
    connection(info: { roomId: string; peer: string; connection: DataConnection }): void;
    left(info: { roomId: string }): void;
    error(error: RoomError): void;
    [event: string]: (...args: any[]) => void;
  }

  interface Rooms extends Emitter<RoomsEvents> {
    /** Creates a room (the creator is not a member); without a roomId the add-on makes one. */
    create(options?: { roomId?: string; capacity?: number; emptyTimeoutMs?: number }): Promise<{ roomId: string; capacity: number }>;
    /** Joins a room; `members` are the other members' peer ids. Rejects with a RoomError. */
    join(roomId: string, options?: { mesh?: boolean }): Promise<{ roomId: string; members: string[]; capacity: number }>;
    /** Leaves a room and closes its mesh connections. */
    leave(roomId: string): Promise<{ roomId: string }>;
    /** The other members of a joined room, as last told by the broker. */
    members(roomId: string): string[];
    /** The open mesh connections of a room, by peer id. */
    connections(roomId: string): { [peer: string]: DataConnection };
  }

  // ------------------------------------------------------------------------------------------------
  // Presence (docs/rooms-presence.md#presence)

  /** What a user may set. */
  type PresenceStatus = 'online' | 'away' | 'busy' | 'dnd';

  interface PresenceEntry {
    status: PresenceStatus | 'offline';
    note: string | null;
    /** how many devices (peers) the user has */
    devices: number;
  }

  interface PresenceError {
    code: string;
    msg: string;
    /** the request refused, e.g. 'PRESENCE-WATCH' */
    request?: string;
  }

  interface PresenceEvents {
    change(change: PresenceEntry & { user: string }): void;
    error(error: PresenceError): void;
    [event: string]: (...args: any[]) => void;
  }

  interface Presence extends Emitter<PresenceEvents> {
    /** Sets this user's status and note (≤ 256 characters); an unknown status throws a TypeError. */
    set(status: PresenceStatus, note?: string | null): void;
    /** Watches users: resolves the snapshot (users this peer may not see are absent). */
    watch(users: string | string[]): Promise<{ [user: string]: PresenceEntry }>;
    unwatch(users: string | string[]): void;
    /** The last entry known for `user`. */
    get(user: string): PresenceEntry | undefined;
  }

  // ------------------------------------------------------------------------------------------------
  // TURN credentials (docs/turn.md)

  interface IceServers {
    iceServers: RTCIceServer[];
    /** seconds the credentials are valid */
    ttl: number;
    /** when they expire (ms since the epoch) */
    expiresAt: number;
  }

  interface IceEvents {
    servers(servers: IceServers): void;
    [event: string]: (...args: any[]) => void;
  }

  interface Ice extends Emitter<IceEvents> {
    /** the last ICE-SERVERS payload, or null before the first */
    readonly servers: IceServers | null;
  }

  /** PeerJS's connection options, plus the token (a Bearer header) and the peer id to sign for. */
  interface FetchIceServersOptions {
    host?: string;
    port?: number;
    path?: string;
    key?: string;
    secure?: boolean;
    token?: string;
    id?: string;
    credentials?: RequestCredentials;
  }

  /** A refusal of GET /ice: the HTTP status and the broker's error code. */
  interface IceServersError extends Error {
    status: number;
    code?: string;
  }

  // ------------------------------------------------------------------------------------------------

  interface AttachOptions {
    calls?: {
      /** false leaves incoming.ring() to the application (default true) */
      autoRing?: boolean;
    };
  }

  /** One per Peer: attaching again returns it. */
  interface Instance {
    readonly peer: Peer;
    readonly calls: Calls;
    readonly rooms: Rooms;
    readonly presence: Presence;
    readonly ice: Ice;
    /** Stops listening to the peer; calls in progress are left as they are. */
    detach(): void;
  }

  interface Api {
    /** the add-on's version, the package's */
    readonly version: string;
    /** Gives a PeerJS 1.x Peer the broker's features; throws a TypeError for anything else. */
    attach(peer: Peer, options?: AttachOptions): Instance;
    /** GET {path}{key}/ice before creating the Peer; rejects with an IceServersError. */
    fetchIceServers(options?: FetchIceServersOptions): Promise<IceServers>;
    /** True for a MediaConnection the add-on places or answers itself. */
    isCallMedia(connection: MediaConnection): boolean;
  }
}

declare const Switchboard: Switchboard.Api;

declare global {
  /** Defined once switchboard.js has run. */
  var Switchboard: import('./switchboard.js').Api;
}

export = Switchboard;
