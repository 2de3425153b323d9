// Run from the package directory after `pnpm --filter @tavt/backend-native build`: node examples/matmul.mjs

import { registerNativeBackend } from "@tavt/backend-native";
import * as tf from "@tensorflow/tfjs-core";

const status = registerNativeBackend(); // never throws: { ok: false, reason } where the addon cannot load
if (!status.ok) throw new Error(status.reason);
await tf.setBackend("native");
console.log(status.blas); // OpenBLAS's own build description
const a = tf.randomNormal([512, 256]);
const b = tf.randomNormal([1024, 256]);
const c = tf.matMul(a, b, false, true); // [512, 1024] on OpenBLAS, any transpose form at full speed
console.log(c.shape, tf.sum(c).dataSync()[0]);
