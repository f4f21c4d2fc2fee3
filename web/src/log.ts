// Work that nobody awaits (a click, a timer, a page event) still fails somewhere: log it to the
// console rather than leave an unhandled rejection.

/** What a failed background task leaves behind: one console line naming the task. */
export const logFailure =
  (what: string) =>
  (e: unknown): void =>
    console.error(`duel: ${what} failed`, e);

/** Starts `work` without waiting for it; a rejection is logged. */
export function detach(what: string, work: Promise<unknown>): void {
  work.catch(logFailure(what));
}
