// The browser kernel's `assert` (frontend/lite/kernel/src/assert.ts) passes and fails exactly where Node's
// does, on random values (fast-check), so a notebook's asserts mean the same in the site as in tslab.
import * as nodeAssert from "assert";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import * as assert from "../frontend/lite/kernel/src/assert";

/** Whether `fn` passes (returns) or fails (throws). */
function passes(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/** Values notebooks compare: nested arrays and objects of numbers (NaN, -0 included), strings, typed arrays,
 * maps, sets. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.double(),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0, -0, NaN),
    fc.string({ maxLength: 2 }),
    fc.boolean(),
    fc.constant(null),
  ),
  tree: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("tree"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "c"), tie("tree"), { maxKeys: 3 }),
    fc.array(fc.double(), { maxLength: 3 }).map((xs) => Float64Array.from(xs)),
    fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }).map((xs) => new Set(xs)),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), tie("leaf")), { maxLength: 3 }).map((kv) => new Map(kv)),
  ),
})).tree;

/** A value and a copy of it with maybe one change, so equal pairs are common. */
const pair = fc.tuple(value, fc.boolean(), value).map(([a, same, b]) => [a, same ? structuredClone(a) : b] as const);

describe("assert agrees with Node's", () => {
  test("deepStrictEqual and notDeepStrictEqual", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(passes(() => assert.deepStrictEqual(a, b))).toBe(passes(() => nodeAssert.deepStrictEqual(a, b)));
        expect(passes(() => assert.notDeepStrictEqual(a, b))).toBe(passes(() => nodeAssert.notDeepStrictEqual(a, b)));
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  test("strictEqual, notStrictEqual, equal, notEqual and ok", () => {
    const leaf = fc.oneof(fc.double(), fc.constantFrom(0, -0, NaN, "", "0", null, undefined, false, 1, "1"));
    fc.assert(
      fc.property(leaf, leaf, (a, b) => {
        expect(passes(() => assert.strictEqual(a, b))).toBe(passes(() => nodeAssert.strictEqual(a, b)));
        expect(passes(() => assert.notStrictEqual(a, b))).toBe(passes(() => nodeAssert.notStrictEqual(a, b)));
        expect(passes(() => assert.equal(a, b))).toBe(passes(() => nodeAssert.equal(a, b)));
        expect(passes(() => assert.notEqual(a, b))).toBe(passes(() => nodeAssert.notEqual(a, b)));
        expect(passes(() => assert.ok(a))).toBe(passes(() => nodeAssert.ok(a)));
      }),
      { numRuns: 1000, seed: 15 },
    );
  });

  test("throws: a message, a RegExp, a class, a predicate, an object of properties", () => {
    const thrown = new RangeError("conv2d: kernel 3x3 does not divide 5x6");
    const cases: [string, unknown][] = [
      ["no validator", undefined],
      ["message only", "a kernel that does not divide"],
      ["matching RegExp", /does not divide/],
      ["other RegExp", /broadcast/],
      ["its class", RangeError],
      ["a base class", Error],
      ["another class", TypeError],
      ["predicate true", (e: unknown) => e instanceof RangeError],
      ["predicate false", () => false],
      ["matching properties", { name: "RangeError", message: /kernel/ }],
      ["other properties", { message: "something else" }],
    ];
    for (const [name, expected] of cases) {
      const ours = passes(() =>
        assert.throws(() => {
          throw thrown;
        }, expected as RegExp),
      );
      const node = passes(() =>
        nodeAssert.throws(() => {
          throw thrown;
        }, expected as RegExp),
      );
      expect(ours, name).toBe(node);
      expect(
        passes(() => assert.throws(() => 1, expected as RegExp)),
        `${name}, nothing thrown`,
      ).toBe(false);
    }
  });

  test("a failure is an AssertionError with the given message, or one that shows both values", () => {
    const error = (() => {
      try {
        assert.strictEqual(1, 2, "one is not two");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(assert.AssertionError);
    expect(error).toMatchObject({
      name: "AssertionError",
      message: "one is not two",
      actual: 1,
      expected: 2,
      code: "ERR_ASSERTION",
    });
    expect(() => assert.deepStrictEqual([1, [2]], [1, [3]])).toThrow(
      /actual: +\[ 1, \[ 2 \] \]\nexpected: \[ 1, \[ 3 \] \]/,
    );
    expect(() => assert.ok(0)).toThrow(/falsy value: 0/);
    expect(() => assert.default(false, "default export")).toThrow("default export");
  });

  test("rejects awaits a promise and validates its error", async () => {
    await assert.rejects(Promise.reject(new Error("late")), /late/);
    await expect(assert.rejects(Promise.resolve(1))).rejects.toThrow(/Missing expected rejection/);
    await expect(
      assert.rejects(async () => {
        throw new Error("x");
      }, TypeError),
    ).rejects.toThrow(/instance of "TypeError"/);
  });
});
