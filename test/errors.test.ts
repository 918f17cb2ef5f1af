// The argument checks every public op builds on: a message names the op, the argument and what came.
import { expect, test } from "vitest";
import { checkInteger, checkNumber, checkOptions, describe } from "../src/errors";
import { expectError } from "./support/errors";

test("describe names what a student passed", () => {
  expect(describe([1, 2])).toBe("an array [1, 2]");
  expect(describe([1, 2, 3, 4, 5, 6, 7])).toBe("an array [1, 2, 3, 4, 5, 6, ...]");
  expect(describe("3")).toBe('a string "3"');
  expect(describe(undefined)).toBe("undefined");
  expect(describe(null)).toBe("null");
  expect(describe(NaN)).toBe("NaN");
  expect(describe(2.5)).toBe("the number 2.5");
  expect(describe(new Map())).toBe("a Map");
  expect(describe({ a: 1 })).toBe("an object");
});

test("checkInteger and checkNumber reject what is not a usable number", () => {
  expectError(() => checkInteger(1.5, "sum", "dim"), "sum: ", "dim must be an integer", "the number 1.5");
  expectError(() => checkInteger(0, "Linear", "outFeatures", 1), "Linear: ", "outFeatures", ">= 1", "the number 0");
  expectError(() => checkInteger("2", "view", "size"), "view: ", 'a string "2"');
  expect(() => checkInteger(-1, "sum", "dim")).not.toThrow();
  expectError(() => checkNumber(Infinity, "SGD", "lr"), "SGD: ", "lr must be a finite number", "Infinity");
  expectError(() => checkNumber(undefined, "SGD", "lr"), "lr", "undefined");
  expect(() => checkNumber(0.1, "SGD", "lr")).not.toThrow();
});

test("checkOptions refuses misspelt options instead of ignoring them", () => {
  expectError(() => checkOptions({ stide: 2 }, "Conv2d", ["padding", "stride"]),
    "Conv2d: ", "unknown option stide", "padding, stride");
  expectError(() => checkOptions([1], "Conv2d", ["padding"]), "Conv2d: ", "options must be an object", "an array [1]");
  expect(() => checkOptions(undefined, "Conv2d", ["padding"])).not.toThrow();
  expect(() => checkOptions({ padding: 1 }, "Conv2d", ["padding"])).not.toThrow();
});
