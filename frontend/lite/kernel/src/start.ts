/** Starting a cell session: the compiler's file system first, then tslab's converter over it. */
import type * as converter from "tslab/dist/converter";
import { CellSession, SessionOptions } from "./session";
import { MappedCompiler } from "./source-maps";
import { virtualSystem } from "./virtual-system";

export interface StartOptions {
  compiler: MappedCompiler;
  /** The kernel's files (see scripts/lib/lite/kernel-files.ts). */
  files: ReadonlyMap<string, string>;
  /** Loads tslab's converter module, which must see `compiler.ts` as its TypeScript. Called once the
   * file system is set, since the module touches `ts.sys` when it loads. */
  loadConverter: () => Promise<typeof converter>;
  modules: SessionOptions["modules"];
  format: SessionOptions["format"];
}

export async function startSession(options: StartOptions): Promise<CellSession> {
  const { compiler, files, loadConverter, modules, format } = options;
  // setSys is how tsserver installs its own System; the public typings leave it out
  (compiler.ts as typeof compiler.ts & { setSys(system: ReturnType<typeof virtualSystem>): void }).setSys(
    virtualSystem(files),
  );
  const { createConverter, isCompleteCode } = await loadConverter();
  return new CellSession({ compiler, converter: createConverter(), isCompleteCode, modules, format });
}
