/** Addresses inside the site (build/lite/), for its own pages and for pages that link into it (the handouts). */

/** The folders of the site's file browser. */
export const FOLDERS = { lectures: "lectures", homework: "homework" } as const;

/** The site seen from the handouts' index: both are folders of build/, published side by side. */
export const SITE_FROM_HANDOUTS = "../lite/";

/** The URL, relative to the site's root, that opens a notebook of the site (a path in its file browser) in the lab. */
export function labLink(path: string): string {
  return `lab/index.html?path=${encodeURIComponent(path)}`;
}

/** Where a lecture notebook (by file name) runs in the site whose root is `site`. */
export function liveLecture(site: string, notebook: string): string {
  return `${site.endsWith("/") ? site : `${site}/`}${labLink(`${FOLDERS.lectures}/${notebook}`)}`;
}
