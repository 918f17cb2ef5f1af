/**
 * The lab's entry: a JupyterLab application with the extensions listed in package.json (their active
 * plugins, from the generated build/extensions.js).
 */
import { JupyterLab } from "@jupyterlab/application";
import "./build/style.js";
import { extensions, mimeExtensions } from "./build/extensions.js";

async function main() {
  const lab = new JupyterLab({ mimeExtensions });
  lab.registerPlugins(extensions);
  await lab.start();
  await lab.restored;
}

window.addEventListener("load", () => void main());
