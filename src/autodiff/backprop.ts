/**
 * Reverse-mode autodiff over any graph of Variables (micrograd's core, minitorch module 1): sort the
 * graph topologically from the output, then walk it backwards, summing each node's derivative
 * before pushing it to its parents through the chain rule. Leaves accumulate what reaches them.
 */

/** A node of the computation graph. */
export interface Variable<G> {
  readonly id: number;
  /** Inputs of the op that made this value (empty for leaves). */
  readonly parents: readonly Variable<G>[];
  isLeaf(): boolean;
  /** The derivative wrt each parent, given the derivative wrt this value. */
  chainRule(d: G): Iterable<readonly [Variable<G>, G]>;
  /** Receives the total derivative of the output wrt this node, once per backward pass: leaves store it
   * (their .grad); an intermediate node stores it only if asked to (retainGrad). */
  accumulateDerivative(d: G): void;
}

/** Nodes reachable from `root`, each after every node that uses it (root first). */
export function topologicalSort<G>(root: Variable<G>): Variable<G>[] {
  const order: Variable<G>[] = [];
  const seen = new Set<number>();
  // Iterative DFS (post-order) so deep graphs such as long training loops do not overflow the stack.
  const stack: [Variable<G>, number][] = [[root, 0]];
  seen.add(root.id);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, next] = top;
    if (next < node.parents.length) {
      top[1]++;
      const parent = node.parents[next];
      if (!seen.has(parent.id)) {
        seen.add(parent.id);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
}

/** Propagates `d` (the derivative of the output wrt itself) back to every leaf; `add` sums two
 * derivatives reaching the same node. */
export function backpropagate<G>(root: Variable<G>, d: G, add: (a: G, b: G) => G): void {
  const derivatives = new Map<number, G>([[root.id, d]]);
  for (const node of topologicalSort(root)) {
    const dNode = derivatives.get(node.id);
    if (dNode === undefined) continue;
    derivatives.delete(node.id);
    node.accumulateDerivative(dNode);
    if (node.isLeaf()) continue;
    for (const [parent, dParent] of node.chainRule(dNode)) {
      const prior = derivatives.get(parent.id);
      derivatives.set(parent.id, prior === undefined ? dParent : add(prior, dParent));
    }
  }
}
