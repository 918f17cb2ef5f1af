/**
 * The TypeScript compiler the kernel runs (tslab's own 5.0, so cells are checked exactly as in tslab),
 * with source maps on. The bundle gives this same object to tslab's converter in place of its
 * `@tslab/typescript-for-tslab` import (converter-typescript.js, aliased in rspack.config.js).
 */
import type * as ts from "@tslab/typescript-for-tslab";
import { withSourceMaps } from "./source-maps";

declare const require: (id: string) => unknown;

export const compiler = withSourceMaps(require("@tslab/typescript-for-tslab/lib/typescript.js") as typeof ts);
