// The lab's bundle (build/): see ../app-build.js. `npm run build` here, or `npm run lab:build` at the top.
const { appConfig } = require("../app-build");

module.exports = (env, argv) => appConfig(__dirname, { mode: argv.mode ?? "production" });
