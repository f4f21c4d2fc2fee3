// The platform's REST and signalling API for any client with fetch: the browser and the bot.
import { readSse } from './sse.js';

export interface Tokens {
  username: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface Profile {
  username: string;
  active: boolean;
  timePlayed: number;
  wins: number;
  losses: number;
  draws: number;
  shotsFired: number;
  hits: number;
  asteroidsDestroyed: number;
  matchesPlayed: number;
  bestScore: number;
}

/** One row of a leaderboard page. */
export interface LeaderboardEntry {
  rank: number;
  username: string;
  wins: number;
  bestScore: number;
  /** Seconds, to the millisecond. */
  timePlayed: number;
}

export interface LeaderboardPage {
  page: number;
  size: number;
  entries: LeaderboardEntry[];
  /** True when a further page has entries. */
  hasMore: boolean;
}

export interface Ticket {
  ticketId: string;
  status: 'waiting';
}

/** One entry of RTCConfiguration.iceServers, with TURN REST API credentials. */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

/** GET /api/ice-servers: empty `iceServers` when the platform has no TURN relay. */
export interface IceServers {
  iceServers: IceServer[];
  /** Seconds the credentials stay valid. */
  ttlSeconds: number;
}

/** GET /api/auth/presence: `live` once, then `ended` with why (session_replaced, unauthorized). */
export type PresenceEvent =
  { type: 'live'; username: string; renewMs: number } | { type: 'ended'; code: string };

export type MatchEvent =
  | { type: 'waiting'; ticketId: string; waitingSince: number }
  | { type: 'matched'; ticketId: string; matchId: string; opponent: string; answer: string }
  | { type: 'cancelled'; ticketId: string }
  | { type: 'failed'; ticketId: string; code: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ApiClient {
  constructor(
    private readonly baseUrl = '',
    private readonly fetchFn: typeof fetch = (...a) => fetch(...a),
  ) {}

  private async send(
    path: string,
    init: RequestInit & { token?: string; json?: unknown } = {},
  ): Promise<Response> {
    const { token, json, ...rest } = init;
    let res: Response;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        ...rest,
        headers: {
          ...(rest.headers as Record<string, string> | undefined),
          ...(json === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    } catch (e) {
      throw new ApiError(0, 'unreachable', `The server cannot be reached (${String(e)}).`);
    }
    if (res.ok) return res;
    const body = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw new ApiError(
      res.status,
      body.error?.code ?? 'internal',
      body.error?.message ?? `HTTP ${res.status}`,
    );
  }

  private async json<T>(
    path: string,
    init: RequestInit & { token?: string; json?: unknown } = {},
  ): Promise<T> {
    const res = await this.send(path, init);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  signup = (username: string, password: string) =>
    this.json<{ username: string }>('/api/auth/signup', {
      method: 'POST',
      json: { username, password },
    });
  login = (username: string, password: string) =>
    this.json<Tokens>('/api/auth/login', { method: 'POST', json: { username, password } });
  refresh = (username: string, refreshToken: string) =>
    this.json<Omit<Tokens, 'refreshToken'>>('/api/auth/refresh', {
      method: 'POST',
      json: { username, refreshToken },
    });
  /**
   * POST /api/auth/refresh with no body: the browser's session cookie (sent by fetch to the
   * same origin), which answers the username too. A 401 means there is no session to resume.
   */
  resume = () =>
    this.json<Omit<Tokens, 'refreshToken'>>('/api/auth/refresh', {
      method: 'POST',
      credentials: 'same-origin',
    });
  logout = (token: string) => this.json<void>('/api/auth/logout', { method: 'POST', token });
  me = (token: string) => this.json<Profile>('/api/me', { token });
  /** The ICE servers to connect through, with short-lived TURN credentials for this player. */
  iceServers = (token: string) => this.json<IceServers>('/api/ice-servers', { token });

  /** GET /api/leaderboard (public): ranks in numbered sets of `size`. */
  leaderboard = (page: number, size: number) =>
    this.json<LeaderboardPage>(`/api/leaderboard?page=${page}&size=${size}`);

  /** Queues for a match, carrying the WebRTC offer. */
  requestMatch = (token: string, offer: string) =>
    this.json<Ticket>('/api/match', { method: 'POST', token, json: { offer } });
  /** Back into a live match after a drop (within RECONNECT_GRACE_MS): the host's answer. */
  rejoinMatch = (token: string, matchId: string, offer: string) =>
    this.json<{ matchId: string; answer: string }>(
      `/api/match/${encodeURIComponent(matchId)}/rejoin`,
      { method: 'POST', token, json: { offer } },
    );
  cancelMatch = (token: string, ticketId: string) =>
    this.json<void>(`/api/match/${encodeURIComponent(ticketId)}`, { method: 'DELETE', token });

  /**
   * The ticket's push channel: `waiting` at once, then `matched` (or `cancelled`/`failed`).
   * `lastEventId` (the last event's id, as yielded) resumes a stream that dropped.
   */
  async *matchEvents(
    token: string,
    ticketId: string,
    signal?: AbortSignal,
    lastEventId?: string,
  ): AsyncGenerator<MatchEvent & { id?: string }> {
    yield* this.events<MatchEvent>(`/api/match/${encodeURIComponent(ticketId)}/events`, {
      token,
      ...(signal ? { signal } : {}),
      ...(lastEventId ? { lastEventId } : {}),
    });
  }

  /** The tab's presence stream: while it is open the server keeps the session's lease. */
  presence = (token: string, signal?: AbortSignal) =>
    this.events<PresenceEvent>('/api/auth/presence', { token, ...(signal ? { signal } : {}) });

  private async *events<E>(
    path: string,
    o: { token: string; signal?: AbortSignal; lastEventId?: string },
  ): AsyncGenerator<E & { id?: string }> {
    const res = await this.send(path, {
      token: o.token,
      headers: {
        accept: 'text/event-stream',
        ...(o.lastEventId ? { 'last-event-id': o.lastEventId } : {}),
      },
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (!res.body) throw new ApiError(res.status, 'internal', 'The event stream has no body.');
    for await (const e of readSse(res.body)) {
      const data = JSON.parse(e.data) as object;
      const event: unknown = {
        type: e.event,
        ...data,
        ...(e.id === undefined ? {} : { id: e.id }),
      };
      yield event as E & { id?: string };
    }
  }
}
