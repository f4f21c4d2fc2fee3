import { ticketStoreContract } from '../../../test/support/ticket-store-contract.js';
import { MemoryTicketStore } from './ticket-store.js';

// The shared contract (the Redis store runs the same suite in the integration tier).
ticketStoreContract('MemoryTicketStore', {
  maxNodes: 1,
  world: () => {
    const store = new MemoryTicketStore();
    return Promise.resolve({ stores: [store], close: () => store.close() });
  },
});
