/**
 * Scalar operators (minitorch module 0): the functions the map/zip/reduce kernels lift to tensors.
 * Each derivative helper ("...Back") computes d * f'(x) so backward passes reuse the same kernels.
 */
export type Unary = (x: number) => number;
export type Binary = (x: number, y: number) => number;

/** A scalar function with a name: a backend may run a kernel of its own for a name it knows (the fast
 * backend's wasm exp) instead of calling the function per element; any other function (pow's closures,
 * a user's lambda) runs through the generic loops. The name is the contract, not the function's identity. */
export type Named<F extends Unary | Binary> = F & { readonly op: string };
function named<F extends Unary | Binary>(op: string, f: F): Named<F> {
  return Object.assign(f, { op });
}
/** The name given by `named`, or undefined. */
export function opName(fn: Unary | Binary): string | undefined {
  return (fn as Partial<Named<Unary>>).op;
}

export const id: Unary = (x) => x;
export const neg: Unary = (x) => -x;
export const add: Binary = (x, y) => x + y;
export const sub: Binary = (x, y) => x - y;
export const mul: Binary = (x, y) => x * y;
export const div: Binary = (x, y) => x / y;
export const max: Binary = (x, y) => (x > y ? x : y);
export const min: Binary = (x, y) => (x < y ? x : y);
export const lt: Binary = (x, y) => (x < y ? 1 : 0);
export const le: Binary = (x, y) => (x <= y ? 1 : 0);
export const gt: Binary = (x, y) => (x > y ? 1 : 0);
export const ge: Binary = (x, y) => (x >= y ? 1 : 0);
export const eq: Binary = (x, y) => (x === y ? 1 : 0);
export const ne: Binary = (x, y) => (x !== y ? 1 : 0);
/** Same test as torch.isclose with its defaults: |x - y| <= atol + rtol * |y|. */
export const isClose: Binary = (x, y) => (Math.abs(x - y) <= 1e-8 + 1e-5 * Math.abs(y) ? 1 : 0);
export const exp = named<Unary>("exp", (x) => Math.exp(x));
export const log: Unary = Math.log;
export const tanh: Unary = Math.tanh;
export const sqrt: Unary = Math.sqrt;
export const sin: Unary = Math.sin;
export const cos: Unary = Math.cos;

/** sigma(x) = 1 / (1 + e^-x), written in the form that cannot overflow for either sign of x. */
export const sigmoid: Unary = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
export const relu: Unary = (x) => (x > 0 ? x : 0);
/** step(x) = x > 0 = ReLU'(x): the lecture's "simplest argmax". */
export const step: Unary = (x) => (x > 0 ? 1 : 0);
/** softplus(x) = log(1 + e^x), stable for large |x|: the "smooth ReLU". */
export const softplus: Unary = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** erf by its everywhere-convergent series with positive terms,
 * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)), accurate to ~1e-15; JS has no Math.erf. */
export const erf: Unary = (x) => {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x); // erfc(6) ~ 2e-17: below double precision
  let term = ax;
  let sum = ax;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
};
/** GeLU(x) = x (1 + erf(x / sqrt 2)) / 2, the exact form from the lecture. */
export const gelu: Unary = (x) => 0.5 * x * (1 + erf(x / Math.SQRT2));

/** Derivatives, as d * f'(x). */
export const logBack: Binary = (x, d) => d / x;
export const sqrtBack: Binary = (x, d) => d / (2 * Math.sqrt(x));
export const sinBack: Binary = (x, d) => d * Math.cos(x);
export const cosBack: Binary = (x, d) => -d * Math.sin(x);
export const reluBack: Binary = (x, d) => (x > 0 ? d : 0);
export const sigmoidBack: Binary = (x, d) => {
  const s = sigmoid(x);
  return d * s * (1 - s);
};
export const tanhBack: Binary = (x, d) => {
  const t = Math.tanh(x);
  return d * (1 - t * t);
};
export const softplusBack: Binary = (x, d) => d * sigmoid(x);
export const geluBack: Binary = (x, d) =>
  d * (0.5 * (1 + erf(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI));
