/**
 * A notebook session with tslab's cell semantics, runnable in a Web Worker: each cell goes through
 * tslab's own converter (the TypeScript 5.0 checker tslab ships; top-level declarations become exports
 * that later cells read, the last expression is printed, top-level await is allowed) and runs the way
 * tslab's executor runs it, with `exports` and a `require` that knows only the modules given.
 * Type errors are reported as tslab reports them (`line:col - message` on stderr); a run-time error
 * names the line of the cell it came from.
 */
import type { Converter, Diagnostic, IsCompleteResult } from "tslab/dist/converter";
import { printQuickInfo } from "tslab/dist/inspect";
import { CellMaps, MappedCompiler } from "./source-maps";

/** Where a cell's output goes. */
export interface CellOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A run-time error: its class name, message, and the lines to show (message and where in the cell). */
  error(name: string, message: string, traceback: string[]): void;
}

export interface SessionOptions {
  /** The compiler tslab's converter was loaded with (see source-maps.ts). */
  compiler: MappedCompiler;
  /** tslab's converter, created after the compiler's file system was set up. */
  converter: Converter;
  /** tslab's test for a cell that needs more lines (an open bracket), from the converter's module. */
  isCompleteCode: (code: string) => IsCompleteResult;
  /** What `import ... from "name"` gives a cell. */
  modules: Readonly<Record<string, unknown>>;
  /** How a printed value looks (Node's util.format, as console.log prints it in tslab). */
  format: (value: unknown) => string;
}

/** tslab's cell exports: named imports arrive as getters (defineProperty) but must stay reassignable. */
function cellExports(): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  return new Proxy(values, {
    defineProperty(_target, name, attributes) {
      if (name !== "__esModule") values[name as string] = attributes.get ? attributes.get() : attributes.value;
      return true;
    },
  });
}

/** Lines before the cell in the file the converter compiles (its `export {};` prefix). */
const CONVERTER_PREFIX_LINES = 1;

/** tslab's diagnostic line: `line:col - message`, with the file when it is not the cell. */
function diagnosticLine(d: Diagnostic): string {
  return `${d.fileName ? `${d.fileName} ` : ""}${d.start.line + 1}:${d.start.character + 1} - ${d.messageText}\n`;
}

export class CellSession {
  private readonly exports = cellExports();
  private readonly maps = new Map<number, CellMaps>();
  /** Each run's first line of code, to name the cell an error came from. */
  private readonly firstLines = new Map<number, string>();
  private prevDecl = "";
  private runs = 0;

  constructor(private readonly options: SessionOptions) {}

  private require = (name: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(this.options.modules, name)) return this.options.modules[name];
    const known = Object.keys(this.options.modules)
      .map((m) => `"${m}"`)
      .join(", ");
    throw new Error(`Cannot find module '${name}': cells in the browser can import ${known}`);
  };

  /** Runs one cell; false when it had type errors or threw (the front end then stops a Run All). */
  async run(code: string, out: CellOutput): Promise<boolean> {
    const { compiler, converter, format } = this.options;
    const converted = converter.convert(this.prevDecl, code);
    const run = ++this.runs;
    const maps = compiler.takeMaps(CONVERTER_PREFIX_LINES);
    if (converted.diagnostics.length > 0) {
      for (const d of converted.diagnostics) out.stderr(diagnosticLine(d));
      return false;
    }
    if (maps !== null) this.maps.set(run, maps);
    this.firstLines.set(
      run,
      code
        .split("\n")
        .find((line) => line.trim() !== "")
        ?.trim() ?? "",
    );
    if (converted.output) {
      const prefix = converted.hasToplevelAwait
        ? "(async function (exports, require) { "
        : "(function (exports, require) { ";
      try {
        const cell = (0, eval)(`${prefix}${converted.output}\n})\n//# sourceURL=${this.sourceName(run)}`) as (
          exports: Record<string, unknown>,
          require: (name: string) => unknown,
        ) => unknown;
        await cell(this.exports, this.require);
      } catch (error) {
        this.report(error, run, prefix.length, out);
        return false;
      }
    }
    this.prevDecl = converted.declOutput ?? "";
    const last = converted.lastExpressionVar;
    if (last !== undefined && this.exports[last] != null) {
      const value = this.exports[last];
      delete this.exports[last];
      out.stdout(`${format(value)}\n`);
    }
    return true;
  }

  /** Completions at `cursor` (tslab's, from the same program). */
  complete(code: string, cursor: number): { start: number; end: number; matches: string[] } {
    const info = this.options.converter.complete(this.prevDecl, code, cursor);
    return { start: info.start, end: info.end, matches: info.candidates };
  }

  /** Quick info (type and doc) at `cursor` as tslab prints it, or null. */
  inspect(code: string, cursor: number): string | null {
    const info = this.options.converter.inspect(this.prevDecl, code, cursor);
    return info ? printQuickInfo(info) : null;
  }

  /** Whether `code` is a whole cell, and the indent of the next line when it is not. */
  isComplete(code: string): { complete: boolean; indent: string } {
    const result = this.options.isCompleteCode(code);
    return { complete: result.completed, indent: result.indent ?? "" };
  }

  private sourceName(run: number): string {
    return `cell-${run}.js`;
  }

  /** Reports a run-time error with the cell lines of its stack: this cell's, then cells run earlier. */
  private report(error: unknown, run: number, prefixLength: number, out: CellOutput): void {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : `Uncaught ${this.options.format(error)}`;
    const where: string[] = [];
    const stack = error instanceof Error ? (error.stack ?? "") : "";
    for (const match of stack.matchAll(/cell-(\d+)\.js:(\d+):(\d+)/g)) {
      const [from, line, column] = [Number(match[1]), Number(match[2]), Number(match[3]) - 1];
      const cellLine = this.maps.get(from)?.cellLine(line, line === 1 ? column - prefixLength : column) ?? null;
      if (cellLine === null) continue;
      const first = this.firstLines.get(from) ?? "";
      const cell =
        from === run
          ? "this cell"
          : `the cell ${JSON.stringify(first.length > 60 ? `${first.slice(0, 57)}...` : first)}`;
      const place = `at line ${cellLine} of ${cell}`;
      if (!where.includes(place)) where.push(place);
    }
    out.error(name, message, [`${name}: ${message}`, ...where.map((w) => `    ${w}`)]);
  }
}
