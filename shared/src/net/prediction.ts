// Client-side prediction of the player's own ship, reconciled on each snapshot: the server says
// where the ship was after applying input `ackInputSeq`; the client replays every later input
// it has sent through the same pure step the server runs, and that is where the ship is now.

export interface PendingInput {
  seq: number;
  buttons: number;
}

export class Predictor<S> {
  private pending: PendingInput[] = [];
  private predicted: S | undefined;
  /** Distance between the prediction and the reconciled state, per snapshot (world units). */
  readonly errors: number[] = [];

  constructor(
    private readonly stepShip: (ship: S, buttons: number) => S,
    private readonly distance: (a: S, b: S) => number,
    private readonly maxPending = 240,
  ) {}

  /** A new local input, applied at once (the player sees it respond instantly). */
  input(seq: number, buttons: number): S | undefined {
    this.pending.push({ seq, buttons });
    if (this.pending.length > this.maxPending) this.pending.shift();
    if (this.predicted !== undefined) this.predicted = this.stepShip(this.predicted, buttons);
    return this.predicted;
  }

  /** The authoritative ship after input `ackInputSeq`; returns the reconciled prediction. */
  reconcile(authoritative: S, ackInputSeq: number): S {
    this.pending = this.pending.filter((p) => p.seq > ackInputSeq);
    let ship = authoritative;
    for (const p of this.pending) ship = this.stepShip(ship, p.buttons);
    if (this.predicted !== undefined) this.errors.push(this.distance(this.predicted, ship));
    this.predicted = ship;
    return ship;
  }

  get current(): S | undefined {
    return this.predicted;
  }

  get unacknowledged(): number {
    return this.pending.length;
  }
}
