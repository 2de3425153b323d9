import { isStopGradientOutput } from "./stopGradient";
import { tf } from "./tf";

/** The parts of a tfjs 4.x tape node that back-propagation reads (tfjs-core `tape.ts`). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

/** The engine internals `tf.engine().gradients` is built from (tfjs-core 4.x `engine.ts`). */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
}

/**
 * The nodes of `tape` on a path from one of `xs` to `y`, in tape order, with their inputs pruned to those that are
 * functions of `xs` (the same selection as tfjs-core's `getFilteredNodesXToY`, without its per-input scan of `xs`).
 *
 * A path ends at a stopGradient node: its gradient is zero, so what computed its input is left off the path (a
 * leaf in `xs` read directly through it keeps the node, and gets its zero gradient rather than none). tfjs would
 * differentiate that computation with a zero dy, e.g. the max that logSoftmax subtracts: an equality mask over the
 * whole [B, L, V] logits, 0.4 s of a config S batch-32 step on wasm.
 */
function nodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const xIds = new Set<number>(xs.map((x) => x.id));
  const stops = (node: TapeNode) => node.outputs.length === 1 && isStopGradientOutput(node.outputs[0]!);
  const fromX = new Set<number>(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    for (const name in node.inputs) {
      if (fromX.has(node.inputs[name]!.id)) {
        for (const o of node.outputs) fromX.add(o.id);
        nodesFromX.add(node.id);
        break;
      }
    }
  }
  const toY = new Set<number>([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      const stop = stops(node);
      for (const name in node.inputs) if (!stop || xIds.has(node.inputs[name]!.id)) toY.add(node.inputs[name]!.id);
      nodesToY.add(node.id);
    }
  }
  const out: TapeNode[] = [];
  for (const node of tape) {
    if (!nodesFromX.has(node.id) || !nodesToY.has(node.id)) continue;
    const stop = stops(node);
    const inputs: Record<string, tf.Tensor> = {};
    for (const name in node.inputs) {
      const id = node.inputs[name]!.id;
      if (stop ? xIds.has(id) : fromX.has(id)) inputs[name] = node.inputs[name]!;
    }
    if (stop && Object.keys(inputs).length === 0) continue;
    out.push({ ...node, inputs });
  }
  return out;
}

/**
 * Gradients by tensor id. One tensor may stand for several ids (a gradient function may hand `dy` on unchanged), so
 * each is counted and disposed when no id and no pending use holds it.
 */
class Accumulated {
  private readonly byId = new Map<number, tf.Tensor>();
  private readonly holders = new Map<tf.Tensor, number>();
  get(id: number): tf.Tensor | null {
    return this.byId.get(id) ?? null;
  }
  /** Point `id` at `t` (dropping what it pointed at before). */
  set(id: number, t: tf.Tensor): void {
    this.delete(id);
    this.byId.set(id, t);
    this.holders.set(t, (this.holders.get(t) ?? 0) + 1);
  }
  delete(id: number): void {
    const t = this.byId.get(id);
    if (t === undefined) return;
    this.byId.delete(id);
    const n = (this.holders.get(t) ?? 1) - 1;
    if (n > 0) this.holders.set(t, n);
    else {
      this.holders.delete(t);
      t.dispose();
    }
  }
  /** Dispose `t` unless some id holds it. */
  release(t: tf.Tensor): void {
    if (!this.holders.has(t)) t.dispose();
  }
}

const disposeSaved = (node: TapeNode) => {
  for (const t of node.saved ?? []) t.dispose();
};

/**
 * `tf.engine().gradients(f, xs, undefined, true)` with the same results and the same nesting behaviour (called
 * inside another gradient it records its backward pass on the shared tape, so the enclosing gradient differentiates
 * through it: MAML's second order), but holding far less memory while it runs:
 *
 * - tfjs keeps the gradient of every intermediate tensor until the whole backward pass ends; here the gradient of a
 *   node's outputs is disposed as soon as that node has been back-propagated (no node earlier on the tape reads it);
 * - at the outermost level, tfjs keeps every tensor saved for the backward pass until the end; here a node's saved
 *   tensors are disposed once its gradient is computed, and those of nodes off every path from `xs` to `y` before
 *   the backward pass starts.
 *
 * For second-order MAML on config S this is the difference between running and exhausting the 4 GB wasm heap: the
 * tape then holds the support forward, its backward and the query forward, and tfjs' backward pass would add a
 * gradient for every one of their tensors on top.
 *
 * A leaf `f` does not reach gets a `null` gradient (the caller decides what that means).
 *
 * @param f - The scalar function to differentiate (run inside a tidy on a fresh tape).
 * @param xs - The tensors to differentiate with respect to.
 * @returns The value of `f` and one gradient per element of `xs` (null where `f` does not reach it).
 * @throws Error when a kernel on the path has no gradient function or a gradient's shape or dtype is wrong.
 */
export function leanGradients(
  f: () => tf.Scalar,
  xs: readonly tf.Tensor[],
): { value: tf.Scalar; grads: (tf.Tensor | null)[] } {
  const engine = tf.engine() as unknown as EngineInternals;
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => tf.tidy("forward", f),
  );
  const tape = engine.state.activeTape!;
  const outermost = engine.state.gradientDepth === 0;
  let grads: (tf.Tensor | null)[] = [];
  try {
    const path = nodesFromXsToY(tape, xs, y);
    if (outermost) {
      const onPath = new Set(path.map((n) => n.id));
      for (const node of tape) if (!onPath.has(node.id)) disposeSaved(node);
    }
    const xIds = new Set(xs.map((x) => x.id));
    const found = tf.tidy("backward", () => {
      const acc = new Accumulated();
      acc.set(y.id, tf.onesLike(y));
      for (let i = path.length - 1; i >= 0; i--) {
        const node = path[i]!;
        if (!node.gradient)
          throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
        const inputGradients = node.gradient(node.outputs.map((o) => acc.get(o.id)));
        for (const name in node.inputs) {
          const grad = inputGradients[name];
          if (!grad) {
            throw new Error(
              `Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`,
            );
          }
          const dx = tf.tidy(grad);
          const x = node.inputs[name]!;
          if (dx.dtype !== "float32") {
            throw new Error(`The gradient of input ${name} of ${node.kernelName} must be float32, got ${dx.dtype}`);
          }
          if (!tf.util.arraysEqual(dx.shape, x.shape)) {
            throw new Error(
              `The gradient of input ${name} of ${node.kernelName} has shape [${dx.shape}], expected [${x.shape}]`,
            );
          }
          const previous = acc.get(x.id);
          acc.set(x.id, previous === null ? dx : tf.add(previous, dx));
          if (previous !== null) acc.release(dx);
        }
        // Every reader of this node's outputs comes later on the tape: their gradients are complete and used up.
        for (const o of node.outputs) if (!xIds.has(o.id)) acc.delete(o.id);
        if (outermost) disposeSaved(node);
      }
      const found: Record<string, tf.Tensor> = {};
      xs.forEach((x, i) => {
        const g = acc.get(x.id);
        if (g !== null) found[i] = g;
      });
      return found;
    });
    grads = xs.map((_, i) => found[i] ?? null);
  } finally {
    if (outermost) {
      for (const node of tape) disposeSaved(node);
      engine.state.activeTape = null;
    }
  }
  return { value: y, grads };
}
