// A wake-up call for a loop that sleeps: notify() ends every current wait early.
export class Signal {
  private readonly waiters = new Set<() => void>();

  /** Resolves on the next notify(), or after `ms` when given. */
  wait(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
