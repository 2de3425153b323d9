import { TavtError } from "@tavt/core";
import type { FeatureStore } from "./store";

/** Several stores read as one (e.g. the source dataset's features and the target dataset's): each id from the first store that has it. */
export class UnionStore implements FeatureStore {
  readonly path: string;
  readonly format;
  private readonly stores: readonly FeatureStore[];

  constructor(stores: readonly FeatureStore[]) {
    if (stores.length === 0) throw new TavtError("BAD_INPUT", "UnionStore: needs at least one store");
    this.stores = stores;
    this.path = stores.map((s) => s.path).join(" + ");
    this.format = stores[0]!.format;
  }

  private storeOf(id: string): FeatureStore {
    const s = this.stores.find((st) => st.has(id));
    if (!s) throw new TavtError("NOT_FOUND", `${this.path}: no features for video "${id}"`, { id, file: this.path });
    return s;
  }

  ids(): string[] {
    return [...new Set(this.stores.flatMap((s) => s.ids()))].sort();
  }

  has(id: string): boolean {
    return this.stores.some((s) => s.has(id));
  }

  shape(id: string): [number, number] {
    return this.storeOf(id).shape(id);
  }

  read(id: string): Float32Array {
    return this.storeOf(id).read(id);
  }

  close(): void {
    for (const s of this.stores) s.close();
  }
}
