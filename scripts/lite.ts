/**
 * `npm run lite`: builds the course as a static JupyterLite site in build/lite/ (see scripts/lib/lite/site.ts):
 * installs frontend/lite's packages when needed, type-checks and bundles the lab and the TypeScript kernel,
 * then writes the site with the lecture notebooks and the homework's student versions. Needs the library
 * built (`npm run build`, which `npm run lite` runs first).
 *
 *   npm run lite [-- [--out DIR] [--no-bundle] [--serve [--isolated] [--port N]]]
 *
 * --no-bundle reuses frontend/lite/build; --serve then serves the site on 127.0.0.1 until Ctrl-C (any static
 * server does: this one can add --isolated, the headers that let the library use worker threads).
 */
import { relative, resolve } from "path";
import { parseArgs } from "util";
import { ROOT } from "./lib/jupyter";
import { serveSite } from "./lib/lite/serve";
import { SITE, buildBundle, checkKernelTypes, folderBytes, installFrontend, writeSite } from "./lib/lite/site";

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: SITE },
      "no-bundle": { type: "boolean", default: false },
      serve: { type: "boolean", default: false },
      isolated: { type: "boolean", default: false },
      port: { type: "string", default: "8000" },
    },
  });
  const started = Date.now();
  if (!values["no-bundle"]) {
    installFrontend();
    checkKernelTypes();
    buildBundle();
  }
  const out = resolve(values.out);
  const { lectures, homework } = writeSite(out);
  const all = folderBytes(out);
  const withoutMaps = folderBytes(out, (name) => !name.endsWith(".map"));
  console.log(
    `${relative(ROOT, out) || out}: ${lectures.length} lectures, ${homework.length} homework, ` +
      `${megabytes(withoutMaps)} (${megabytes(all)} with source maps), ` +
      `in ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
      `Serve the folder with any static server and open index.html.`,
  );
  if (values.serve) {
    const server = await serveSite(out, { isolated: values.isolated, port: Number(values.port) });
    console.log(
      `serving ${relative(ROOT, out) || out} at ${server.url}index.html` +
        `${values.isolated ? " (cross-origin isolated)" : ""}; Ctrl-C stops`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(`npm run lite: ${(error as Error).message}`);
  process.exit(1);
});
