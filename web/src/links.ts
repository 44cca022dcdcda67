/**
 * Shareable links: `?example=<name>`, or `?spec=<url>&data=<url>` (each fetched by the page, relative to it),
 * with `&train=1` to start training once the page is ready. With neither, the cube -> prism example.
 */
export type PageLink =
  | { kind: "example"; name: string; train: boolean }
  | { kind: "url"; spec: string; data?: string; train: boolean }
  | { kind: "data-only"; example: string; data: string; train: boolean };

export const DEFAULT_EXAMPLE = "cube_to_prism";

export function parseLink(search: string): PageLink {
  const p = new URLSearchParams(search);
  const train = p.get("train") === "1";
  const spec = p.get("spec"), data = p.get("data") ?? undefined;
  if (spec) return data === undefined ? { kind: "url", spec, train } : { kind: "url", spec, data, train };
  const name = p.get("example") ?? DEFAULT_EXAMPLE;
  return data === undefined ? { kind: "example", name, train } : { kind: "data-only", example: name, data, train };
}

/** The link that reopens an example (keeping `&train=1` when asked to). */
export function exampleLink(name: string, train = false): string {
  return `?example=${encodeURIComponent(name)}${train ? "&train=1" : ""}`;
}

/** The last path segment of a URL, as a file name for messages and for picking the data format. */
export function fileNameOf(url: string, base: string, fallback: string): string {
  try {
    return decodeURIComponent(new URL(url, base).pathname.split("/").pop() ?? "") || fallback;
  } catch {
    return fallback;
  }
}
