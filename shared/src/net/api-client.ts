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
  cancelMatch = (token: string, ticketId: string) =>
    this.json<void>(`/api/match/${encodeURIComponent(ticketId)}`, { method: 'DELETE', token });

  /** The ticket's push channel: `waiting` at once, then `matched` (or `cancelled`/`failed`). */
  async *matchEvents(
    token: string,
    ticketId: string,
    signal?: AbortSignal,
  ): AsyncGenerator<MatchEvent> {
    const res = await this.send(`/api/match/${encodeURIComponent(ticketId)}/events`, {
      token,
      headers: { accept: 'text/event-stream' },
      ...(signal ? { signal } : {}),
    });
    if (!res.body) throw new ApiError(res.status, 'internal', 'The event stream has no body.');
    for await (const e of readSse(res.body)) {
      yield { type: e.event, ...(JSON.parse(e.data) as object) } as MatchEvent;
    }
  }
}
