/**
 * The site's JupyterLab, as JupyterLite 0.8 starts its lab app: the active plugins of every extension listed
 * in package.json (from the generated build/extensions.js) are registered, the service manager is resolved
 * from JupyterLite's in-browser service plugins (contents, kernels, settings: no server), then the app starts.
 */
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { IServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";
import "./build/style.js";
import { extensions, mimeExtensions } from "./build/extensions.js";

async function main() {
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(extensions);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);
  const lab = new JupyterLab({ pluginRegistry, serviceManager, mimeExtensions });
  lab.name = "JupyterLite";
  // browser tests reach the app only when the page asks for it (?exposeAppInBrowser), as in JupyterLab
  if (PageConfig.getOption("exposeAppInBrowser") === "true") window.jupyterapp = lab;
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
}

void main();
