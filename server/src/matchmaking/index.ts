export { InMemoryMatchmaker, type InMemoryMatchmakerOptions } from './in-memory.js';
export {
  newTicketId,
  type EnqueueResult,
  type MatchedPair,
  type Matchmaker,
  type Ticket,
  type TicketStatus,
} from './matchmaker.js';
