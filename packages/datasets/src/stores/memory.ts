import { CheckedStore, type FeatureExpectation } from "./store";

/** Features held in memory (the synthetic benchmark's), behind the same interface as the on-disk stores. */
export class MemoryStore extends CheckedStore {
  readonly path: string;
  readonly format = "memory" as const;
  private readonly entries: Map<string, { data: Float32Array; shape: [number, number] }>;

  constructor(
    name: string,
    entries: Iterable<{ id: string; data: Float32Array; shape: readonly [number, number] }>,
    expect: FeatureExpectation = {},
  ) {
    super(expect);
    this.path = name;
    this.entries = new Map();
    for (const e of entries) this.entries.set(e.id, { data: e.data, shape: [e.shape[0], e.shape[1]] });
  }

  ids(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  protected where(id: string): string {
    return `${this.path}[${id}]`;
  }

  protected rawShape(id: string): number[] {
    return this.entries.get(id)!.shape;
  }

  protected rawRead(id: string): Float32Array {
    return this.entries.get(id)!.data;
  }

  close(): void {}
}
