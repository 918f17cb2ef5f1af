import { configDefaults, defineConfig } from "vitest/config";

// Notebook, homework and browser suites drive real Jupyter and Chromium, so they set their own longer
// per-test timeouts; unit and property tests keep the default.
// The browser checks (handouts, live Notebook, JupyterLab, JupyterLite) run after every other test file has
// finished (group 1), so they find build/notebooks already executed by test/notebooks-run.test.ts and reuse
// it instead of executing the series a second time (or reading it while it is being written).
const BROWSER = ["test/handouts*.test.ts", "test/live-notebook*.test.ts", "test/lab*.test.ts", "test/lite.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...BROWSER] },
      },
      { extends: true, test: { name: "browser", include: BROWSER, sequence: { groupOrder: 1 } } },
    ],
  },
});
