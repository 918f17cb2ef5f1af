/**
 * A static server for the site (browser tests, `npm run lite -- --serve`): any static host works, this one
 * can also send the two headers that make the page cross-origin isolated, which lets the library's worker
 * threads share memory (without them the kernel runs on one thread).
 */
import { createServer } from "http";
import { AddressInfo } from "net";
import sirv from "sirv";

export interface SiteServer {
  /** The site's root URL, ending with "/". */
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on a free loopback port; `isolated` adds COOP/COEP (cross-origin isolation). */
export function serveSite(dir: string, options: { isolated?: boolean; port?: number } = {}): Promise<SiteServer> {
  const files = sirv(dir, {
    dev: true, // no caching of the file list: the site may be rebuilt while serving
    setHeaders: options.isolated
      ? (res) => {
          res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
          res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
        }
      : undefined,
  });
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.end("not found");
    }),
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
