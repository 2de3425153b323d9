import * as tf from "@tensorflow/tfjs-core";
// The pure-JavaScript "cpu" backend (the umbrella @tensorflow/tfjs registered it; tfjs-core alone has none).
import "@tensorflow/tfjs-backend-cpu";
// Chained tensor methods and every kernel's gradient (see the file), then our second-order-safe gradients over them.
import "./tfjsRegistrations";
import "./secondOrderGrads";

// tfjs prints a "install tfjs-node" banner on first use of the cpu backend; a library never prints.
tf.enableProdMode();

/** The single tfjs instance every @tavt package computes with (re-exported so versions never split). */
export { tf };
/** A tfjs tensor. */
export type Tensor = tf.Tensor;
/** A rank-0 tfjs tensor. */
export type Scalar = tf.Scalar;
