// The frame loop: inputs go out on a fixed 60 Hz step, whatever the display's rate, from an
// accumulator inside requestAnimationFrame; drawing happens once per animation frame.

export interface LoopOptions {
  stepMs: number;
  /** Most steps run in one animation frame; after a stall the backlog is dropped, not replayed. */
  maxSteps: number;
  step(): void;
  draw(nowMs: number, dtMs: number): void;
}

/** Starts the loop; the returned function stops it. */
export function startLoop(o: LoopOptions): () => void {
  let last: number | undefined;
  let acc = 0;
  let handle = 0;
  const frame = (now: number) => {
    handle = requestAnimationFrame(frame);
    const dt = last === undefined ? o.stepMs : now - last;
    last = now;
    acc += dt;
    let steps = 0;
    while (acc >= o.stepMs && steps < o.maxSteps) {
      o.step();
      acc -= o.stepMs;
      steps++;
    }
    if (steps === o.maxSteps) acc = Math.min(acc, o.stepMs);
    o.draw(now, Math.min(dt, 100));
  };
  handle = requestAnimationFrame(frame);
  return () => cancelAnimationFrame(handle);
}
