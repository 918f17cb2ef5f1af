// A small, agreed rule set: what the compiler does not catch and a reviewer should not have to.
// Unused code, promises nobody awaits, and `any` (allowed only where code crosses into the kernel's untyped world).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "build/**", "node_modules/**", "frontend/**", "assembly/**", "**/*.mjs", "**/*.js"] },
  {
    files: ["src/**/*.ts", "scripts/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Lines <= 120 characters (issue 16); a regular expression or a URL may run longer.
    files: ["src/**/*.ts", "scripts/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "*.ts"],
    rules: {
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
    },
  },
);
