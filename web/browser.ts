/**
 * For the browser tests: the built playground served from 127.0.0.1, and Debian's Chromium driven by
 * playwright-core (never a downloaded browser) with WebGPU on (SwiftShader on machines without a GPU), each
 * time with a fresh, temporary profile. Where Chromium or WebGPU is missing, `openBrowser` throws an error
 * naming `npm run setup`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, normalize, resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env["REGNN_CHROMIUM"] ?? "/usr/bin/chromium";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".regnn": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Serves `root` (and, under /extra/, the files of `extra`) on 127.0.0.1 at a free port. */
export async function serveStatic(root: string, extra: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    const body = path.startsWith("/extra/") ? extra[path.slice("/extra/".length)] : undefined;
    if (body !== undefined) {
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "text/plain" }).end(body);
      return;
    }
    const file = resolve(root, normalize(`.${path === "/" ? "/index.html" : path}`));
    if (!file.startsWith(resolve(root)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** Chromium with WebGPU; throws naming `npm run setup` when Chromium is not installed or has no WebGPU adapter. */
export async function openBrowser(checkUrl: string): Promise<{ browser: Browser; adapter: string; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}; the browser tests need Debian's chromium: run npm run setup`);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox", "--enable-unsafe-webgpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
      ],
    });
  } catch (e) {
    throw new Error(`cannot start Chromium (${CHROMIUM}): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}; run npm run setup`);
  }
  const close = () => browser.close();
  let adapter: string;
  try {
    const page = await browser.newPage();
    await page.goto(checkUrl);
    adapter = await page.evaluate(async () => {
      const gpu = (navigator as { gpu?: GPU }).gpu;
      if (!gpu) return "";
      const a = await gpu.requestAdapter();
      if (!a) return "";
      return [a.info.vendor, a.info.architecture, a.info.device, a.info.description].filter(Boolean).join(" / ") || "(no description)";
    });
    await page.close();
  } catch (e) {
    await close();
    throw e;
  }
  if (!adapter) {
    await close();
    throw new Error("Chromium has no WebGPU adapter here (navigator.gpu or requestAdapter() failed); run npm run setup");
  }
  return { browser, adapter, close };
}
