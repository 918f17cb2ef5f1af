/**
 * What the table of contents says about a notebook: its title (the first `# ` heading) and a one-line
 * summary (the emphasised line under the title, e.g. `*Lecture: ...*`, else the first sentence of the
 * first paragraph), both as plain text.
 */
import type { INotebookContent } from "@jupyterlab/nbformat";
import { basename } from "path";
import { cellSource } from "../notebook";

/** A notebook's entry in the table of contents. */
export interface NotebookInfo {
  title: string;
  summary: string;
}

/** The title and summary of a notebook; `path` names it when it has no `# ` heading. */
export function notebookInfo(nb: INotebookContent, path: string): NotebookInfo {
  const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map(cellSource);
  const fallback = basename(path, ".ipynb");
  for (const text of markdown) {
    const lines = text.split("\n");
    const at = lines.findIndex((l) => /^#\s+\S/.test(l));
    if (at < 0) continue;
    const title = plainText(lines[at].replace(/^#\s+/, ""));
    const rest = paragraphs(lines.slice(at + 1).join("\n"));
    const rest2 = rest.length > 0 ? rest : paragraphs(markdown.slice(markdown.indexOf(text) + 1).join("\n\n"));
    return { title: title || fallback, summary: summaryOf(rest2) };
  }
  return { title: fallback, summary: summaryOf(paragraphs(markdown.join("\n\n"))) };
}

/** The emphasised first paragraph as it is, else the first sentence of the first prose paragraph. */
function summaryOf(paras: string[]): string {
  const prose = paras.filter((p) => !/^(#|\||```|[-*+] |\d+\. |\$\$|>)/.test(p));
  if (prose.length === 0) return "";
  const first = prose[0];
  if (/^(\*[^*][\s\S]*\*|_[^_][\s\S]*_)$/.test(first)) return plainText(first);
  const text = plainText(first);
  const sentence = /^.+?[.!?](?=\s|$)/.exec(text);
  return sentence === null ? text : sentence[0];
}

/** Blocks of text separated by blank lines, whitespace-joined. */
function paragraphs(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim().replace(/\s*\n\s*/g, " ")).filter((p) => p.length > 0);
}

/** Markdown inline markup removed: links keep their text, emphasis and code marks go. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
