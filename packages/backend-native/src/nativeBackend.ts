import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { BackendValues, DataId, DataType } from "@tensorflow/tfjs-core";
import { pool } from "./pool";

/**
 * The "native" backend's storage: the cpu backend's (plain typed arrays, no 4 GB wasm heap), telling the output
 * pool when values are stored, freed and read out, so the native kernels can reuse freed outputs safely (pool.ts).
 */
export class NativeBackend extends MathBackendCPU {
  constructor() {
    super();
    // the cpu backend prints an "install tfjs-node" banner on first use; a library never prints
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    pool.attach(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    pool.attach(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): BackendValues {
    if (this.data.has(dataId)) pool.expose(this.data.get(dataId).values);
    return super.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const done = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) pool.release(values);
    return done;
  }
}
