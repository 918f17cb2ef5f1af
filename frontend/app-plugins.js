/**
 * The plugins an app registers: every plugin of the extension modules its package.json lists (a module
 * exports one plugin or an array of them), minus the disabled ones, named in package.json
 * (`jupyterlab.disabledExtensions`) or by the page config the server or the site writes. Imported by the
 * `build/extensions.js` that app-build.js generates for each app.
 */
import { PageConfig } from "@jupyterlab/coreutils";

export function activePlugins(modules, disabled) {
  return modules
    .flatMap((module) => {
      const exported = module.default ?? module;
      return Array.isArray(exported) ? exported : [exported];
    })
    .filter((plugin) => !disabled.includes(plugin.id) && !PageConfig.Extension.isDisabled(plugin.id));
}
