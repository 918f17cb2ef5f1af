/**
 * Looking inside a PDF with Debian's poppler-utils: its page count (pdfinfo), the images it draws and on
 * which pages (pdfimages -list), and the images' pixels (pdfimages writes RGB images as PPM, which is
 * read here without any image library).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

function poppler(tool: string, args: readonly string[]): string {
  const run = spawnSync(tool, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.error) {
    const install = "Debian package poppler-utils: run `bash scripts/install-system.sh`";
    throw new Error(`${tool}: ${run.error.message} (${install})`);
  }
  if (run.status !== 0) throw new Error(`${tool} ${args.join(" ")} exited with ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** The number of pages of a PDF. */
export function pdfPages(path: string): number {
  const match = /^Pages:\s+(\d+)$/m.exec(poppler("pdfinfo", [path]));
  if (match === null) throw new Error(`pdfinfo printed no page count for ${path}`);
  return Number(match[1]);
}

/** One row of `pdfimages -list`: an image drawn on a page. */
export interface PdfImage {
  page: number;
  /** Index in pdfimages' order, the number in the names of the extracted files. */
  num: number;
  type: string;
  width: number;
  height: number;
  /** The image object: the same object drawn on two pages appears twice with one id. */
  object: number;
}

/** Every image a PDF draws (soft masks included, with type "smask"). */
export function pdfImages(path: string): PdfImage[] {
  const rows = poppler("pdfimages", ["-list", path]).split("\n").slice(2).filter((l) => l.trim() !== "");
  return rows.map((row) => {
    const f = row.trim().split(/\s+/);
    const [page, num, width, height, object] = [f[0], f[1], f[3], f[4], f[10]].map(Number);
    return { page, num, type: f[2], width, height, object };
  });
}

/** How much of an image is drawn: the share of pixels that are not near-white, and the number of
 * distinct colours (a blank or flat image has ~0 and 1). */
export interface InkStats {
  width: number;
  height: number;
  inked: number;
  colours: number;
}

/** Ink statistics of every RGB image of a PDF, keyed by pdfimages' image number. */
export function pdfImageInk(path: string): Map<number, InkStats> {
  const dir = mkdtempSync(join(tmpdir(), "minitorch-pdfimages-"));
  try {
    poppler("pdfimages", [path, join(dir, "img")]);
    const stats = new Map<number, InkStats>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ppm"))) {
      stats.set(Number(/img-(\d+)\.ppm$/.exec(file)?.[1]), ink(readFileSync(join(dir, file))));
    }
    return stats;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads a binary PPM (P6, 8 bits) and measures its ink. */
function ink(ppm: Buffer): InkStats {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 64).toString("latin1"));
  if (header === null || header[3] !== "255") throw new Error("not an 8-bit binary PPM");
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = ppm.subarray(header[0].length);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    if (Math.min(r, g, b) < 235) inked++;
    if (colours.size < 10_000) colours.add((r << 16) | (g << 8) | b);
  }
  return { width, height, inked: inked / (width * height), colours: colours.size };
}
