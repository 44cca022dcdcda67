/**
 * The playground in a real browser: Debian's Chromium (WebGPU on SwiftShader on machines without a GPU),
 * driven by playwright-core, on the production build served from 127.0.0.1. Fails, never skips, where
 * Chromium or WebGPU is missing (the message names `npm run setup`). Screenshots go to out/web-test/.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectWeights } from "../compiler/cli/inspect.js";
import { compileSource } from "../compiler/compile.js";
import { openBrowser, serveStatic } from "./browser.js";

const OUT = join(import.meta.dirname, "..", "out", "web-test");
const SITE = join(OUT, "site");

let server: { url: string; close: () => Promise<void> } | undefined;
let chrome: { browser: Browser; adapter: string; close: () => Promise<void> } | undefined;
let failure: unknown;

// A spec with an unknown point group on line 3 (column 21).
const BAD_SPEC = "model Bad {\n  input x: 0e\n  symmetry relax to D5q lmax 2\n  output y = x\n}\n";

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  try {
    // The production build: its guard plugin fails it on any import of Node's standard library.
    await build({ configFile: join(import.meta.dirname, "vite.config.ts"), logLevel: "warn", build: { outDir: SITE, emptyOutDir: true } });
  } catch (e) {
    // Rethrown by every test (a throwing beforeAll would only skip them).
    failure = e;
    return;
  }
  server = await serveStatic(SITE, { "bad.regnn": BAD_SPEC });
  try {
    chrome = await openBrowser(`${server.url}/extra/bad.regnn`);
    console.log(`browser WebGPU adapter: ${chrome.adapter}`);
  } catch (e) {
    // Rethrown by every test that needs the browser, so that each fails (a throwing beforeAll would skip them).
    failure = e;
  }
}, 240_000);

afterAll(async () => {
  await chrome?.close();
  await server?.close();
});

async function openPage(query: string): Promise<Page> {
  if (!chrome) throw failure;
  const page = await chrome.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server!.url}/${query}`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 }).catch((e: Error) => {
    throw new Error(`the page did not get ready: ${e.message}; page errors: ${errors.join("; ") || "none"}`);
  });
  return page;
}

describe("playground bundle", () => {
  it("has no import of Node's standard library", () => {
    if (!server) throw failure;
    const files = readdirSync(join(SITE, "assets")).filter((f) => f.endsWith(".js"));
    expect(files.length).toBeGreaterThanOrEqual(2); // the page and the compiler worker
    for (const f of files) {
      const text = readFileSync(join(SITE, "assets", f), "utf8");
      expect(text, f).not.toMatch(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'`]node:/);
    }
  });
});

describe("playground in Chromium", () => {
  it("loads the cube -> prism example with no diagnostics", async () => {
    const page = await openPage("?example=cube_to_prism");
    await expect(page.getByTestId("spec-editor").textContent()).resolves.toContain("model CubeToPrism");
    await page.waitForSelector("[data-testid=diagnostics] .ok");
    await expect(page.getByTestId("diagnostics").getAttribute("data-count")).resolves.toBe("0");
    for (const id of ["train-button", "loss-plot", "symmetry-result", "theta-picture"]) await expect(page.getByTestId(id).count()).resolves.toBe(1);
    await page.close();
  });

  it("shows a spec's error at its line, as a squiggle and in the list, while typing", async () => {
    const page = await openPage(`?spec=${encodeURIComponent("/extra/bad.regnn")}`);
    await page.waitForSelector("[data-testid=diagnostics] .diag.error");
    const row = page.locator("[data-testid=diagnostics] .diag.error").first();
    await expect(row.getAttribute("data-line")).resolves.toBe("3");
    await expect(row.textContent()).resolves.toMatch(/^bad\.regnn:3:\d+ error E\d+: .*D5q/);
    // The squiggle sits on line 3 of the editor, under the bad name.
    const squiggle = page.locator(".cm-line").nth(2).locator(".cm-lintRange-error");
    await expect(squiggle.textContent()).resolves.toBe("D5q");
    await page.screenshot({ path: join(OUT, "playground-diagnostic.png") });
    // Fixing it by typing clears the error (the worker recompiles as the text changes); what is left is the
    // checker's warning that nothing in this tiny model is relaxed.
    await squiggle.dblclick();
    await page.keyboard.type("D4h");
    await page.waitForSelector("[data-testid=diagnostics][data-count='0']", { timeout: 30_000 });
    await expect(page.locator("[data-testid=diagnostics] .diag").allTextContents()).resolves.toEqual([expect.stringMatching(/^bad\.regnn:3:3 warning W001: /)]);
    await page.close();
  });

  it("reads a dataset file and reports what is wrong in it by its field path", async () => {
    const page = await openPage("?example=cube_to_prism");
    const bad = { format: "regnn-dataset-1", graphs: [{ nodes: 8, inputs: { x: [1, 1], pos: new Array(24).fill(0) }, targets: { t: new Array(72).fill(0) } }] };
    await page.locator("#dataset-file").setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
    await page.waitForFunction(() => /mine\.json/.test(document.querySelector("#dataset-name")?.textContent ?? ""));
    await page.getByTestId("train-button").click();
    await page.waitForSelector("[data-testid=status].error");
    await expect(page.getByTestId("status").textContent()).resolves.toBe("mine.json: graphs[0].inputs.x: expected 8 numbers (8 nodes x 1, irreps 1x0e), got 2");
    await page.close();
  });

  it("stops Discover mid-training with Stop, the button then ready again", async () => {
    const page = await openPage("?example=cube_to_prism");
    await page.getByTestId("discover-button").click();
    await page.waitForFunction(() => /^discover: training C1 .*epoch \d+\//.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), undefined, { timeout: 60_000 });
    await page.getByTestId("stop-button").click();
    await page.waitForFunction(() => /^discover stopped/.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), undefined, { timeout: 30_000 });
    await expect(page.getByTestId("discover-result").textContent()).resolves.toBe("stopped before it decided");
    await expect(page.getByTestId("discover-result").getAttribute("data-group")).resolves.toBeNull();
    await expect(page.getByTestId("discover-button").isDisabled()).resolves.toBe(false);
    await expect(page.getByTestId("download-discovered").isDisabled()).resolves.toBe(true);
    await page.close();
  });

  it("discovers D4h about z for cube -> prism (the search of regnnc discover, on WebGPU), from a &discover=1 link", async () => {
    const page = await openPage("?example=cube_to_prism&discover=1");
    // Progress while it runs: the status follows the trainings' epochs.
    await page.waitForFunction(() => /^discover: /.test(document.querySelector("[data-testid=status]")?.textContent ?? ""), undefined, { timeout: 60_000 });
    await page.waitForSelector("[data-testid=discover-result][data-group]", { timeout: 240_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}; status: ${await page.getByTestId("status").textContent()}`);
    });
    const answer = (await page.getByTestId("discover-result").textContent()) ?? "";
    console.log(`browser discover: ${answer}; ${await page.getByTestId("status").textContent()}`);
    expect(answer).toMatch(/^the data keeps D4h, axis \(0\.000, 0\.000, -?1\.000\)(, secondary [^;]*)?; the input has Oh$/);
    await expect(page.getByTestId("discover-result").getAttribute("data-input-group")).resolves.toBe("Oh");
    // The candidates table: the trained and witnessed candidates, D4h about z among those that fit.
    const rows = page.locator("[data-testid=discover-candidates] tr[data-group]");
    expect(await rows.count()).toBeGreaterThan(0);
    const fitting = await page.locator("[data-testid=discover-candidates] tr.fits").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(fitting).toContainEqual(["D4h", expect.stringMatching(/^\(0\.000, 0\.000, -?1\.000\)/), expect.stringMatching(/^\d\.\d{3}e[-+]\d+$/), "yes", expect.stringMatching(/^(trained|relaxed θ projected)/)]);
    // The full report is the CLI's, ending in the same answer.
    expect(((await page.getByTestId("discover-report").textContent()) ?? "").split("\n").at(-1)).toBe(answer);
    await expect(page.getByTestId("discover-button").isDisabled()).resolves.toBe(false);
    const [weights] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-discovered").click()]);
    expect(weights.suggestedFilename()).toBe("CubeToPrism.safetensors");
    await page.screenshot({ path: join(OUT, "playground-discovered.png"), fullPage: true });
    await page.close();
  }, 300_000);

  it("trains cube -> prism on WebGPU and reads D4h or D∞h about z, D4h with the input's Oh; a second model reuses every pipeline", async () => {
    const page = await openPage("?example=cube_to_prism&train=1");
    const symmetry = page.getByTestId("symmetry-result");
    await page.waitForSelector("[data-testid=symmetry-result] .layer-symmetry", { timeout: 280_000 });
    const text = (await symmetry.textContent()) ?? "";
    console.log(`browser: ${text}; ${await page.getByTestId("timing").textContent()}`);
    expect(text).toMatch(/layer h2: keeps (D4h|D∞h), axis \(0(\.000)?, 0(\.000)?, -?1\.000\)/);
    // With the cube's own Oh, what the model keeps on its input is the paper's D4h about z.
    expect(text).toMatch(/layer h2: keeps (D4h|D∞h), axis [^;]*; with the input's Oh: D4h, axis \(0\.000, 0\.000, 1\.000\)/);
    await expect(page.locator("[data-testid=symmetry-result] .layer-symmetry[data-layer=h2]").getAttribute("data-kept-on-input")).resolves.toBe("D4h");
    await expect(page.getByTestId("status").textContent()).resolves.toMatch(/trained CubeToPrism: 800 epochs, final loss/);
    await expect(page.locator("[data-testid=theta-picture] img").count()).resolves.toBe(2);
    // The curve was drawn: the canvas has more than one colour.
    const colours = await page.getByTestId("loss-plot").evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(3);
    await page.screenshot({ path: join(OUT, "playground-trained.png"), fullPage: true });

    // The downloads: weights that Node's `regnnc inspect` code reads to the same symmetry, and loss.csv.
    const [weights] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-weights").click()]);
    expect(weights.suggestedFilename()).toBe("CubeToPrism.safetensors");
    await weights.saveAs(join(OUT, "CubeToPrism.safetensors"));
    const { ir } = compileSource(readFileSync(join(import.meta.dirname, "..", "specs", "cube_to_prism.regnn"), "utf8"), "cube_to_prism.regnn");
    const { layers } = inspectWeights(ir!, readFileSync(join(OUT, "CubeToPrism.safetensors")), "downloaded weights");
    expect(layers.map((l) => l.detected.group)).toEqual(["O(3)", expect.stringMatching(/^(D4h|D∞h)$/)]);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-loss").click()]);
    await csv.saveAs(join(OUT, "loss.csv"));
    const lines = readFileSync(join(OUT, "loss.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("epoch,loss,regularization");
    expect(lines).toHaveLength(801);
    expect(lines[800]).toMatch(/^800,/);
    const coldMs = Number(await page.getByTestId("timing").getAttribute("data-startup-ms"));

    // Train again: the same plan on the same device compiles nothing (every pipeline comes from the cache).
    await page.getByTestId("train-button").click();
    await page.waitForFunction(() => /training/.test(document.querySelector("[data-testid=status]")?.textContent ?? "") || /epoch \d+\//.test(document.querySelector("[data-testid=status]")?.textContent ?? ""));
    await page.getByTestId("stop-button").click();
    await page.waitForSelector("[data-testid=resume-button]:not([disabled])", { timeout: 60_000 });
    const timing = (await page.getByTestId("timing").textContent()) ?? "";
    const m = /\((\d+) pipelines, (\d+) reused/.exec(timing);
    expect(m, timing).not.toBeNull();
    expect(m![2]).toBe(m![1]);
    const warmMs = Number(await page.getByTestId("timing").getAttribute("data-startup-ms"));
    console.log(`browser start-up: cold ${coldMs} ms, warm ${warmMs} ms (${m![1]} pipelines)`);
    expect(warmMs).toBeLessThan(coldMs);

    // Resume continues from the epoch where Stop left off.
    const stoppedAt = Number(/stopped at epoch (\d+)\//.exec((await page.getByTestId("status").textContent()) ?? "")?.[1]);
    expect(stoppedAt).toBeGreaterThan(0);
    await page.getByTestId("resume-button").click();
    await page.waitForFunction((n) => Number(/epoch (\d+)\//.exec(document.querySelector("[data-testid=status]")?.textContent ?? "")?.[1] ?? 0) > n, stoppedAt);
    await page.getByTestId("stop-button").click();
    await page.waitForSelector("[data-testid=resume-button]:not([disabled])", { timeout: 60_000 });
    const resumedTo = Number(/stopped at epoch (\d+)\//.exec((await page.getByTestId("status").textContent()) ?? "")?.[1]);
    expect(resumedTo).toBeGreaterThan(stoppedAt);
    await page.close();
  }, 300_000);
});
