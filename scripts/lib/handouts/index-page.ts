/**
 * The handouts' table of contents: one entry per notebook with its title (linking the HTML handout), its
 * one-line summary, a link to the PDF and one to run the lecture in the course's static site (`npm run lite`).
 * A small static page that needs no script and no network.
 */
import type { Handout } from "./build";

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Text as HTML content or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The index.html of a build. */
export function indexPage(handouts: readonly Handout[]): string {
  const entries = handouts.map((h) => {
    const pdf = h.pdf === null || h.pdfBytes === null
      ? ""
      : ` · <a class="pdf" href="${escapeHtml(encodeURI(h.pdf))}">PDF</a> ` +
        `<span class="size">(${megabytes(h.pdfBytes)})</span>`;
    const live = h.live === null ? "" : ` · <a class="live" href="${escapeHtml(h.live)}">Run it in the browser</a>`;
    const html = escapeHtml(encodeURI(h.html));
    const size = `<span class="size">(${megabytes(h.htmlBytes)}, ${h.plots} interactive figures)</span>`;
    return `      <a class="title" href="${html}">${escapeHtml(h.title)}</a>
      <p class="summary">${escapeHtml(h.summary)}</p>
      <p class="links"><a href="${html}">HTML</a> ${size}${pdf}${live}</p>`;
  });
  const lead =
    "The lecture notebooks, executed: every page works offline, with interactive figures and typeset math; " +
    "each has a printable PDF.";
  return tocPage("minitorch-ts handouts", escapeHtml(lead), [{ entries }]);
}

/** A table of contents page (the handouts' index, the site's): a title, a lead paragraph (HTML), and
 * sections of entries (the HTML inside each `<li>`), each section with an optional heading. */
export function tocPage(
  title: string,
  leadHtml: string,
  sections: readonly { heading?: string; entries: readonly string[] }[],
): string {
  const body = sections.map((section) => [
    ...(section.heading === undefined ? [] : [`<h2>${escapeHtml(section.heading)}</h2>`]),
    '<ol class="toc">',
    ...section.entries.map((entry) => `    <li>\n${entry}\n    </li>`),
    "</ol>",
  ].join("\n"));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body {
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff;
    max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45;
  }
  h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.25rem; margin-top: 1.6rem; }
  .lead { color: #555; margin-top: 0; }
  ol { padding-left: 0; list-style: none; }
  li { border-top: 1px solid #e3e3e3; padding: 0.8rem 0; }
  a { color: #1565c0; text-decoration: none; }
  a:hover { text-decoration: underline; }
  .title { font-size: 1.15rem; font-weight: 600; }
  .summary { margin: 0.25rem 0; }
  .links { margin: 0; font-size: 0.9rem; }
  .size { color: #777; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="lead">${leadHtml}</p>
${body.join("\n")}
</body>
</html>
`;
}
