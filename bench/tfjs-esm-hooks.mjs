// Node resolution hook for the benchmark: tfjs-core registers its gradients only from its ES-module
// files (dist/register_all_gradients.js), whose relative imports omit the ".js" Node requires. This
// hook retries such imports with ".js" (also where a folder shares the file's name). Nothing else is
// touched.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const missing = error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "ERR_UNSUPPORTED_DIR_IMPORT";
    if (missing && specifier.startsWith(".") && !specifier.endsWith(".js")) {
      return next(`${specifier}.js`, context);
    }
    throw error;
  }
}
