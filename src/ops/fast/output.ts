/**
 * Outputs of the fast kernels. Every fast kernel writes all of its output, so the zeros of
 * `new Float64Array(n)` are wasted: on a block the allocator reuses, calloc's memset costs a third of
 * an elementwise op over 800 KB. Node's Buffer.allocUnsafeSlow allocates without zeroing; where there
 * is no Buffer (a browser) the output is an ordinary, zeroed array.
 */
const hasBuffer = typeof Buffer === "function" && typeof Buffer.allocUnsafeSlow === "function";

/** A Float64Array of n elements with unspecified contents, which the caller overwrites entirely. */
export function output(n: number): Float64Array {
  if (!hasBuffer || n < 64) return new Float64Array(n); // small ones come from V8's heap
  const bytes = Buffer.allocUnsafeSlow(n * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, n);
}
