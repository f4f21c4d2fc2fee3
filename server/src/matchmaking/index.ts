export { InMemoryMatchmaker, type InMemoryMatchmakerOptions } from './in-memory.js';
export { RedisMatchmaker, type RedisMatchmakerOptions } from './redis.js';
export {
  MatchmakingUnavailableError,
  newTicketId,
  type EnqueueResult,
  type MatchedPair,
  type Matchmaker,
  type Ticket,
  type TicketStatus,
} from './matchmaker.js';
