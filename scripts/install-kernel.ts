/**
 * `npm run kernel`: registers the project's tslab with Jupyter (per user), so notebooks run on the
 * TypeScript kernel that matches this checkout.
 */
import { jupyterPython, registerKernel } from "./lib/jupyter";

try {
  const spec = registerKernel(jupyterPython());
  console.log(`tslab kernel registered in ${spec.resource_dir}, running ${spec.spec.argv[0]}`);
} catch (error) {
  console.error(`npm run kernel: ${(error as Error).message}`);
  process.exit(1);
}
