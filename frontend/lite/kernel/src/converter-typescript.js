// What tslab's converter gets for `require("@tslab/typescript-for-tslab")` in the bundle: the compiler
// with source maps (compiler.ts). CommonJS, because the converter copies the module's own members.
module.exports = require("./compiler").compiler.ts;
