/**
 * Printing (src/tensor/format.ts, Tensor[util.inspect.custom]): console.log and util.inspect show PyTorch's
 * printout, never the internals (storage, strides, history), also inside arrays and objects and for a
 * subclass that overrides toString (the hook Parameter uses); and a tslab notebook cell whose value is a
 * tensor displays that printout (tslab shows a cell's last value with console.log).
 */
import type { ICodeCell, INotebookContent, IOutput, MultilineString } from "@jupyterlab/nbformat";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { join } from "path";
import { inspect } from "util";
import { describe, expect, it } from "vitest";
import { Tensor, arange, tensor } from "../src";
import { ROOT } from "../scripts/lib/jupyter";
import { joinLines, readNotebook } from "../scripts/lib/notebook";

describe("util.inspect and console.log", () => {
  it("show toString(), as PyTorch prints a tensor", () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(inspect(t)).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    const x = tensor([1.5], { requiresGrad: true });
    expect(inspect(x.mul(3))).toBe("tensor([4.5000], grad_fn=<MulBackward>)");
    expect(inspect(x)).toBe("tensor([1.5000], requires_grad=True)");
    expect(inspect(arange(6).view(2, 3).slice(1, 1))).toBe("tensor([[1., 2.],\n        [4., 5.]])");
  });

  it("never show internals, also when nested in arrays and objects", () => {
    const shown = inspect({ values: tensor([1, 2]), list: [tensor([3])] });
    expect(shown).toContain("tensor([1., 2.])");
    expect(shown).toContain("tensor([3.])");
    expect(shown).not.toMatch(/storage|strides|Float64Array|history|TensorData/);
  });

  it("a subclass that overrides toString is shown by it (how nn.Parameter prints)", () => {
    class Labelled extends Tensor {
      toString(): string {
        return `Labelled containing:\n${super.toString()}`;
      }
    }
    expect(inspect(new Labelled(tensor([1]).data))).toBe("Labelled containing:\ntensor([1.])");
  });
});

describe("in a tslab notebook", () => {
  it("a cell whose value is a tensor displays the printout", () => {
    // Inside the repository, so the notebook resolves "minitorch-ts" (the built package) as notebooks/ does.
    mkdirSync(join(ROOT, "build"), { recursive: true });
    const dir = mkdtempSync(join(ROOT, "build", "printing-"));
    const nb: INotebookContent = {
      cells: [
        'import { tensor } from "minitorch-ts";\ntensor([[1, 2], [3, 4]]).transpose();',
        "console.log(tensor([0.5]).mul(tensor([2], { requiresGrad: true })));",
      ].map((source, i) => ({
        cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null,
      })),
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(dir, "print.ipynb"), JSON.stringify(nb));
    const ts = join(ROOT, "node_modules", ".bin", "ts-node");
    const notebook = join(dir, "print.ipynb");
    const args = ["--transpile-only", "scripts/run-notebooks.ts", "--no-build", "--out", join(dir, "out"), notebook];
    const run = spawnSync(ts, args, { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const cells = readNotebook(join(dir, "out", "print.ipynb")).cells as ICodeCell[];
    const text = (o: IOutput) => joinLines((o.text ?? "") as MultilineString);
    expect(cells[0].outputs.map(text).join("")).toBe("tensor([[1., 3.],\n        [2., 4.]])\n");
    expect(cells[1].outputs.map(text).join("")).toBe("tensor([1.], grad_fn=<MulBackward>)\n");
  }, 120_000);
});
