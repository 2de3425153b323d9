/** Op codes shared with `native/tavt_native.c` (binary, unary, reduce). */
export const BINARY = {
  Add: 0,
  Sub: 1,
  Multiply: 2,
  RealDiv: 3,
  Maximum: 4,
  Minimum: 5,
  SquaredDifference: 6,
  Pow: 7,
} as const;

export const COMPARE = {
  Equal: 10,
  NotEqual: 11,
  Less: 12,
  LessEqual: 13,
  Greater: 14,
  GreaterEqual: 15,
} as const;

export const UNARY = {
  Neg: 0,
  Exp: 1,
  Log: 2,
  Sqrt: 3,
  Rsqrt: 4,
  Square: 5,
  Abs: 6,
  Relu: 7,
  Sigmoid: 8,
  Tanh: 9,
  Step: 10,
  Reciprocal: 11,
  Log1p: 12,
  Elu: 13,
} as const;

export const REDUCE = { Sum: 0, Mean: 0, Max: 1, Min: 2 } as const;
