/**
 * tfjs as the benchmark's peer: tfjs-core with its plain-JavaScript "cpu" backend and its "wasm"
 * backend (XNNPACK, SIMD, one thread here: Node has no cross-origin isolation for its threaded
 * build), the .wasm files loaded from node_modules, never from the network. Gradients are registered
 * from tfjs-core's ES-module files, as the @tensorflow/tfjs bundle would do.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { register } from "node:module";
import { dirname, join, sep } from "node:path";
import { pathToFileURL } from "node:url";

export type TfBackend = "cpu" | "wasm";
export { tf };

let ready = false;

/** Loads tfjs's gradients and wasm binaries once; then selects `name`. */
export async function useTf(name: TfBackend): Promise<void> {
  if (!ready) {
    register(pathToFileURL(join(__dirname, "tfjs-esm-hooks.mjs")).href);
    // A string the TypeScript compiler leaves alone, so this stays a real dynamic import under CommonJS.
    const load = new Function("specifier", "return import(specifier)") as (s: string) => Promise<unknown>;
    await load("@tensorflow/tfjs-core/dist/register_all_gradients.js");
    setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + sep);
    tf.env().set("IS_TEST", true); // silences the "install tfjs-node" banner
    ready = true;
  }
  await tf.setBackend(name);
  await tf.ready();
}

/** Runs f inside tidy and waits for its result's values, so the timing includes the work. */
export function sync(f: () => tf.Tensor | tf.Tensor[]): void {
  tf.tidy(() => {
    const out = f();
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    return undefined;
  });
}
