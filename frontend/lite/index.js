/**
 * The site's JupyterLab, as JupyterLite 0.8 starts its lab app: every extension listed in package.json
 * (imported by the generated build/extensions.js) is registered, the service manager is resolved from
 * JupyterLite's in-browser service plugins (contents, kernels, settings: no server), then the app starts.
 */
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { IServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";
import "./build/style.js";
import { disabled, extensions, mimeExtensions } from "./build/extensions.js";

/** The plugins of some extension modules (each exports one plugin or an array), minus disabled ones. */
function plugins(modules) {
  return modules
    .flatMap((module) => {
      const exported = module.default ?? module;
      return Array.isArray(exported) ? exported : [exported];
    })
    .filter((plugin) => !disabled.includes(plugin.id) && !PageConfig.Extension.isDisabled(plugin.id));
}

async function main() {
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins(extensions));
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);
  const lab = new JupyterLab({ pluginRegistry, serviceManager, mimeExtensions: plugins(mimeExtensions) });
  lab.name = "JupyterLite";
  // browser tests reach the app only when the page asks for it (?exposeAppInBrowser), as in JupyterLab
  if (PageConfig.getOption("exposeAppInBrowser") === "true") window.jupyterapp = lab;
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
}

void main();
