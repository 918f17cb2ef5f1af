/**
 * The lab's entry: a JupyterLab application with the extensions listed in package.json (imported by the
 * generated build/extensions.js), minus the plugins disabled there or by the server's page config.
 */
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
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
  const lab = new JupyterLab({ mimeExtensions: plugins(mimeExtensions) });
  lab.registerPlugins(plugins(extensions));
  await lab.start();
  await lab.restored;
}

window.addEventListener("load", () => void main());
