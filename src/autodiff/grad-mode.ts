/** Whether ops record the graph. Off inside `noGrad` (evaluation, optimizer steps) and inside every
 * forward/backward, so a backward pass never builds a second graph. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording the graph, like `with torch.no_grad()`; restores the mode even on throw. */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
