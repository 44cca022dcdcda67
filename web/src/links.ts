/**
 * Shareable links: `?example=<name>`, or `?spec=<url>&data=<url>` (each fetched by the page, relative to it),
 * with `&train=1` to start training once the page is ready and `&discover=1` to run Discover (after training
 * when both are asked for). With neither, the cube -> prism example.
 */
interface Actions {
  train: boolean;
  /** Present (true) only when asked for, so links without it read as before. */
  discover?: true;
}
export type PageLink =
  | ({ kind: "example"; name: string } & Actions)
  | ({ kind: "url"; spec: string; data?: string } & Actions)
  | ({ kind: "data-only"; example: string; data: string } & Actions);

export const DEFAULT_EXAMPLE = "cube_to_prism";

export function parseLink(search: string): PageLink {
  const p = new URLSearchParams(search);
  const actions: Actions = { train: p.get("train") === "1", ...(p.get("discover") === "1" ? { discover: true as const } : {}) };
  const spec = p.get("spec"), data = p.get("data") ?? undefined;
  if (spec) return data === undefined ? { kind: "url", spec, ...actions } : { kind: "url", spec, data, ...actions };
  const name = p.get("example") ?? DEFAULT_EXAMPLE;
  return data === undefined ? { kind: "example", name, ...actions } : { kind: "data-only", example: name, data, ...actions };
}

/** The link that reopens an example (keeping `&train=1` and `&discover=1` when asked to). */
export function exampleLink(name: string, train = false, discover = false): string {
  return `?example=${encodeURIComponent(name)}${train ? "&train=1" : ""}${discover ? "&discover=1" : ""}`;
}

/** The last path segment of a URL, as a file name for messages and for picking the data format. */
export function fileNameOf(url: string, base: string, fallback: string): string {
  try {
    return decodeURIComponent(new URL(url, base).pathname.split("/").pop() ?? "") || fallback;
  } catch {
    return fallback;
  }
}
