import { defineConfig } from "vitest/config";

// Notebook, homework and browser suites drive real Jupyter and Chromium, so they set their own longer
// per-test timeouts; unit and property tests keep the default.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
