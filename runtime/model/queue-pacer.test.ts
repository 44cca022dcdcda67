import { describe, expect, it } from "vitest";
import { pacesQueue, QueuePacer, SLEEP_FRACTION, workKey } from "./queue-pacer.js";

describe("QueuePacer", () => {
  it("sleeps nothing for work it has not seen, nor when disabled", async () => {
    const on = new QueuePacer(true), off = new QueuePacer(false);
    expect(on.sleepFor("forward@10,20,1", 0, 0)).toBe(0);
    await off.wait("k", performance.now() - 50, async () => 1);
    expect(off.sleepFor("k", 0, 0)).toBe(0);
  });

  it("sleeps the given share of what the same work took last time, less what has passed since its submit", async () => {
    const pacer = new QueuePacer(true);
    await pacer.wait("forward+backward0@1000,16000,1", performance.now() - 5000, async () => "first"); // compiles: not an estimate
    expect(pacer.sleepFor("forward+backward0@1000,16000,1", 0, 0)).toBe(0);
    const since = performance.now() - 40; // submitted 40 ms ago, done now
    expect(await pacer.wait("forward+backward0@1000,16000,1", since, async () => "read")).toBe("read");
    const took = pacer.sleepFor("forward+backward0@1000,16000,1", 0, 0) / SLEEP_FRACTION;
    expect(took).toBeGreaterThanOrEqual(40);
    expect(pacer.sleepFor("forward+backward0@1000,16000,1", 100, 100 + took / 2)).toBeCloseTo(SLEEP_FRACTION * took - took / 2, 6);
    // Already past the expected time, or another batch size: wait at once.
    expect(pacer.sleepFor("forward+backward0@1000,16000,1", 100, 100 + took)).toBe(0);
    expect(pacer.sleepFor("forward+backward0@999,16000,1", 0, 0)).toBe(0);
  });

  it("takes the shortest of the recent runs: one slow run does not make the next ones oversleep", async () => {
    const pacer = new QueuePacer(true);
    await pacer.wait("k", performance.now(), async () => 0);
    await pacer.wait("k", performance.now() - 30, async () => 0);
    await pacer.wait("k", performance.now() - 300, async () => 0);
    const estimate = pacer.sleepFor("k", 0, 0) / SLEEP_FRACTION;
    expect(estimate).toBeGreaterThanOrEqual(30);
    expect(estimate).toBeLessThan(300);
  });

  it("a result is the wait's own, and a failed wait rejects without recording", async () => {
    const pacer = new QueuePacer(true);
    await pacer.wait("k", performance.now(), async () => 0);
    await expect(pacer.wait("k", performance.now(), async () => { throw new Error("lost"); })).rejects.toThrow("lost");
    expect(pacer.sleepFor("k", 0, 0)).toBe(0);
  });

  it("keys batches by their passes and size within an eighth of an octave of nodes + edges", () => {
    expect(workKey(["forward", "backward0"], 1000, 16000)).toBe(workKey(["forward", "backward0"], 1000, 16040)); // 8 log2(17001) = 112.43, 8 log2(17041) = 112.46
    expect(workKey(["forward", "backward0"], 1000, 16000)).not.toBe(workKey(["forward", "backward0"], 1000, 19000));
    expect(workKey(["forward"], 1000, 16000)).not.toBe(workKey(["forward", "backward0"], 1000, 16000));
  });

  it("paces only CPU adapters (in Node, where Dawn polls on the JS thread)", () => {
    expect(pacesQueue("cpu")).toBe(true);
    expect(pacesQueue("gpu")).toBe(false);
  });
});
