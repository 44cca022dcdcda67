/** The page's side of the compiler worker: one request per call, answered by id. */
import type { CompileRequest, CompileResponse } from "./protocol.js";

export class CompilerClient {
  private readonly worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: CompileResponse) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.addEventListener("message", (event: MessageEvent<CompileResponse>) => {
      const done = this.waiting.get(event.data.id);
      this.waiting.delete(event.data.id);
      done?.resolve(event.data);
    });
    // A worker that fails to load (or dies) would otherwise leave every request waiting for ever.
    this.worker.addEventListener("error", (event) => {
      const error = new Error(`the compiler worker failed: ${event.message || "it could not be loaded"}`);
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    });
  }

  compile(text: string, file: string, options: { plan: boolean; planOptions?: CompileRequest["planOptions"] }): Promise<CompileResponse> {
    const request: CompileRequest = { id: this.next++, text, file, plan: options.plan, ...(options.planOptions ? { planOptions: options.planOptions } : {}) };
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      this.worker.postMessage(request);
    });
  }
}
