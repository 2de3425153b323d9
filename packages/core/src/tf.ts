import * as tf from "@tensorflow/tfjs";
import "./secondOrderGrads";

// tfjs prints a "install tfjs-node" banner on first use of the cpu backend; a library never prints.
tf.enableProdMode();

/** The single tfjs instance every @tavt package computes with (re-exported so versions never split). */
export { tf };
export type Tensor = tf.Tensor;
export type Scalar = tf.Scalar;
