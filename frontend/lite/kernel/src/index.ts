/**
 * The JupyterLite plugin that registers the TypeScript kernel under tslab's kernelspec name, so the
 * lecture notebooks (kernelspec "tslab") open with it and a notebook downloaded from the site runs
 * unchanged in Jupyter with tslab. It also lets the front end's Interrupt reach a running cell.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { IKernelClient, IKernelSpecs } from "@jupyterlite/services";
import { TypeScriptKernel } from "./kernel";

/** Where `npm run lite` puts the kernel's files, relative to the site's root. */
const FILES = "kernel/files.json";
const PACKAGES = "packages/";

const plugin: JupyterFrontEndPlugin<void> = {
  id: "@minitorch/lite-kernel:kernel",
  description: "A TypeScript kernel (tslab's cell semantics) running minitorch-ts in a Web Worker",
  autoStart: true,
  requires: [IKernelSpecs],
  optional: [IKernelClient],
  activate: (_app: JupyterFrontEnd, specs: IKernelSpecs, client: IKernelClient | null) => {
    const base = PageConfig.getBaseUrl();
    const urls = { filesUrl: URLExt.join(base, FILES), packagesUrl: URLExt.join(base, PACKAGES) };
    const kernels = new Map<string, TypeScriptKernel>();
    specs.register({
      spec: {
        name: "tslab",
        display_name: "TypeScript",
        language: "typescript",
        argv: [],
        resources: {},
      },
      create: async (options) => {
        const kernel = new TypeScriptKernel(options, urls);
        kernels.set(kernel.id, kernel);
        kernel.disposed.connect(() => kernels.delete(kernel.id));
        return kernel;
      },
    });
    // JupyterLite's interrupt only cancels queued cells; ours also stops the running one.
    if (client !== null) {
      const interrupt = client.interrupt.bind(client);
      client.interrupt = async (id: string) => {
        kernels.get(id)?.interrupt();
        return interrupt(id);
      };
    }
  },
};

export default plugin;
