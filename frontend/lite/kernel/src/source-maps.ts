/**
 * tslab's converter compiles a cell twice (TypeScript to an ES module, then that module to CommonJS)
 * without source maps, so a run-time error could only point into the compiled JavaScript. This wraps
 * the compiler the converter calls so that both passes emit an inline source map, which is taken out of
 * the code and kept: `CellMaps.cellLine` then follows an error's position back to the cell's own line.
 * Nothing else about the compilation changes.
 */
import type * as ts from "@tslab/typescript-for-tslab";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";

const INLINE_MAP = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Removes the inline source map comment from `code`; returns the code and the decoded map. */
function takeInlineMap(code: string): { code: string; map: string | null } {
  const match = INLINE_MAP.exec(code);
  if (match === null) return { code, map: null };
  const map = new TextDecoder().decode(Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)));
  return { code: code.slice(0, match.index), map };
}

/** The two maps of one converted cell: compiled JavaScript -> ES module -> the cell's TypeScript. */
export class CellMaps {
  private readonly module: TraceMap;
  private readonly commonjs: TraceMap;

  constructor(
    module: string,
    commonjs: string,
    private readonly prefixLines: number,
  ) {
    this.module = new TraceMap(module);
    this.commonjs = new TraceMap(commonjs);
  }

  /** The 1-based line of the cell for a 1-based line and 0-based column of the code that ran, or null. */
  cellLine(line: number, column: number): number | null {
    const inModule = originalPositionFor(this.commonjs, { line, column });
    if (inModule.line === null) return null;
    const inCell = originalPositionFor(this.module, { line: inModule.line, column: inModule.column });
    return inCell.line === null ? null : inCell.line - this.prefixLines;
  }
}

/** The compiler, with source maps on, and a way to take the maps of the cell it compiled last. */
export interface MappedCompiler {
  readonly ts: typeof ts;
  /** The maps of the last conversion (null if it emitted none); `prefixLines`: lines the converter put
   * before the cell. */
  takeMaps(prefixLines: number): CellMaps | null;
}

/** Wraps `compiler` as described above: every other member is the compiler's own. */
export function withSourceMaps(compiler: typeof ts): MappedCompiler {
  let moduleMap: string | null = null;
  let commonjsMap: string | null = null;
  // Own enumerable members, as the converter's `import * as ts` copies only those; each reads the
  // compiler's current value (its `sys` changes with setSys).
  const overrides: Record<string, unknown> = {
    createWatchCompilerHost: (...args: unknown[]) => {
      if (Array.isArray(args[0])) args[1] = { ...(args[1] as ts.CompilerOptions), inlineSourceMap: true };
      return (compiler.createWatchCompilerHost as (...a: unknown[]) => unknown)(...args);
    },
    transpileModule: (input: string, options: ts.TranspileOptions): ts.TranspileOutput => {
      const source = takeInlineMap(input);
      moduleMap = source.map;
      const compilerOptions = { ...options.compilerOptions, inlineSourceMap: true };
      const out = compiler.transpileModule(source.code, { ...options, compilerOptions });
      const result = takeInlineMap(out.outputText);
      commonjsMap = result.map;
      return { ...out, outputText: result.code };
    },
  };
  const wrapped = { ...overrides };
  for (const key of Object.keys(compiler)) {
    if (key in overrides) continue;
    Object.defineProperty(wrapped, key, {
      enumerable: true,
      get: () => (compiler as unknown as Record<string, unknown>)[key],
    });
  }
  return {
    ts: wrapped as unknown as typeof ts,
    takeMaps(prefixLines) {
      const maps =
        moduleMap !== null && commonjsMap !== null ? new CellMaps(moduleMap, commonjsMap, prefixLines) : null;
      moduleMap = commonjsMap = null;
      return maps;
    },
  };
}
