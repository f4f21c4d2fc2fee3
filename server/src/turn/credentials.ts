// Short-lived TURN credentials in the "TURN REST API" scheme (draft-uberti-behave-turn-rest,
// coturn's use-auth-secret): the username carries its own expiry, and the password is an
// HMAC of the username under a secret shared with the TURN servers. Nothing is stored: the
// TURN server recomputes the HMAC and refuses a username whose expiry has passed.
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';

export interface TurnSettings {
  /** turn:/turns: URLs handed to clients as they are. */
  readonly urls: readonly string[];
  /** The shared secret (coturn `static-auth-secret`). */
  readonly secret: string;
}

/** One entry of RTCConfiguration.iceServers. */
export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

/** base64(HMAC-SHA1(username, secret)), the password coturn expects for `username`. */
export function turnPassword(username: string, secret: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Credentials for `userId` valid until `nowMs` + `ttlSeconds` (the username is `expiry:userId`). */
export function turnCredentials(
  turn: TurnSettings,
  userId: string,
  ttlSeconds: number,
  nowMs: number,
): IceServer {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${userId}`;
  return { urls: [...turn.urls], username, credential: turnPassword(username, turn.secret) };
}

/** Credentials outlive a match by this much: the wait in the queue and a rejoin ride on them. */
export const TTL_MARGIN_SECONDS = 300;

export interface IceServersAnswer {
  iceServers: IceServer[];
  /** Seconds the credentials stay valid (and how long a client may reuse this answer). */
  ttlSeconds: number;
}

export type TurnConfig = Pick<Config, 'TURN_URLS' | 'TURN_SECRET' | 'MATCH_SECONDS'>;

/** The answer for `userId` at `nowMs`. */
export function iceServersFor(config: TurnConfig, userId: string, nowMs: number): IceServersAnswer {
  const ttlSeconds = config.MATCH_SECONDS + TTL_MARGIN_SECONDS;
  const { TURN_URLS: urls, TURN_SECRET: secret } = config;
  if (!urls || !secret) return { iceServers: [], ttlSeconds };
  return { iceServers: [turnCredentials({ urls, secret }, userId, ttlSeconds, nowMs)], ttlSeconds };
}
