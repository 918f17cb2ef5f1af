/**
 * Escaping, so that text a student passes in (a title, an axis label, a class name) is always shown as
 * text and never run: plotly reads labels as a small HTML dialect (`<b>`, `<br>`, `<a href>`), and the
 * HTML fallback puts the figure's JSON and plotly.js inside `<script>` elements.
 */

const ENTITIES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const CHARACTERS: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };

/** Text as HTML element content (and as a plotly label): `<script>` becomes `&lt;script&gt;`. Quotes
 * stay, since the text never goes into an attribute. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]);
}

/** Inverse of escapeText, for the plain-text summary of a figure whose labels are stored escaped. */
export function unescapeText(html: string): string {
  return html.replace(/&(amp|lt|gt);/g, (e) => CHARACTERS[e]);
}

/** JSON that is safe inside an inline `<script>`: `<`, `>`, `&` and the JS line separators are written
 * as \u escapes, so no string value can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, escape);
}

/** JavaScript source that is safe inside an inline `<script>`: the sequences `</script` and `<!--` (which
 * only occur inside string or regex literals of well-formed code) become `\x3C/script` and `\x3C!--`. */
export function scriptSource(js: string): string {
  return js.replace(/<(\/script|!--)/gi, "\\x3C$1");
}
