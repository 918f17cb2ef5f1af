// The site's bundle (build/): the JupyterLab build shared with frontend/lab (../app-build.js), plus what
// the TypeScript kernel's Web Worker needs to run tslab's converter and the library in a browser. The
// worker's `minitorch-ts` (the root package, whose browser field picks the browser platform), tslab and
// its compiler resolve from the repository's node_modules, so they are the versions the Jupyter kernel runs.
const path = require("path");
const { merge } = require("webpack-merge");
const rspack = require("@rspack/core");
const { appConfig } = require("../app-build");

const kernel = path.join(__dirname, "kernel", "src");

module.exports = (env, argv) => {
  const [main, ...assets] = appConfig(__dirname, { mode: argv.mode ?? "production" });
  const site = merge(main, {
    // source maps beside the chunks (fetched only by a browser's developer tools; the report counts both sizes)
    devtool: "source-map",
    // TypeScript and tslab's converter refer to Node's module system in code that never runs in a browser
    ignoreWarnings: [{ module: /typescript-for-tslab|tslab[\\/]dist/ }],
    resolve: {
      alias: {
        // tslab's converter gets the compiler with source maps (kernel/src/compiler.ts)
        "@tslab/typescript-for-tslab$": path.join(kernel, "converter-typescript.js"),
      },
      // TypeScript requires these only on Node (behind checks for Node); tslab's converter uses path
      fallback: {
        path: require.resolve("path-browserify"),
        ...Object.fromEntries(
          ["buffer", "crypto", "fs", "inspector", "os", "perf_hooks", "source-map-support"].map((m) => [m, false]),
        ),
      },
    },
    plugins: [
      // tslab picks its compile target from the Node version; the worker runs the same target as Node 20
      new rspack.DefinePlugin({ "process.version": JSON.stringify("v20.0.0") }),
    ],
  });
  return [site, ...assets];
};
