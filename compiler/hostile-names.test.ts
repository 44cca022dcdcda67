// Names and strings in a spec are untrusted: they must never reach generated code as code, never hit
// inherited object properties, and never crash the compiler.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { planModel } from "./codegen/plan.js";
import { className, emitModelModule, moduleToJavaScript } from "./codegen/typescript.js";
import { compileSource } from "./compile.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe("hostile names and strings", () => {
  it("accepts JavaScript's special property names as plain data", () => {
    const names = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "eval", "process", "require", "import", "await", "window"];
    for (const n of names) {
      const { ir, diagnostics } = compileSource(`model M { input ${n}: 0e + 1o  layer l_${n} = linear(${n}) -> 0e  output ${n}_out = l_${n} }`, "t.regnn");
      expect(diagnostics.filter((d) => d.severity === "error"), n).toEqual([]);
      expect(ir!.inputs[0]!.name).toBe(n);
      // The IR is JSON: a name is only ever a string value in it.
      expect(JSON.parse(JSON.stringify(ir)).inputs[0].name).toBe(n);
    }
  });

  it("does not resolve inherited properties as functions, options or settings", () => {
    for (const [body, code] of [
      ["edge e = constructor(count: 1, cutoff: 1)", "E105"],
      ["edge e = __proto__(count: 1, cutoff: 1)", "E105"],
      ["layer h = toString(x) -> 0e", "E104"],
      ["layer h = linear(x, __proto__: 1) -> 0e", "E114"],
      ["layer h = linear(x, constructor: 1) -> 0e", "E114"],
      ["train { optimizer: constructor(lr: 1) }", "E113"],
      ["train { schedule: __proto__ }", "E113"],
      ["train { __proto__: 1 }", "E120"],
    ] as const) {
      const { diagnostics } = compileSource(`model M { input x: 0e  input pos: positions  ${body}  output y = x }`, "t.regnn");
      expect(diagnostics.map((d) => d.code), body).toContain(code);
      expect(diagnostics.map((d) => d.code), body).not.toContain("E999");
    }
  });

  it("resolves __proto__ and constructor as ordinary names: as targets, outputs and in the loss, and twice is a duplicate", () => {
    const spec = (extra: string) =>
      `model M { input x: 0e  target __proto__: 0e  layer constructor = linear(x) -> 0e  output hasOwnProperty = constructor  train { loss: mse(hasOwnProperty, __proto__) }${extra} }`;
    const { ir, diagnostics } = compileSource(spec(""), "t.regnn");
    expect(diagnostics).toEqual([]);
    expect(ir!.targets.map((t) => t.name)).toEqual(["__proto__"]);
    expect(ir!.outputs.map((o) => o.name)).toEqual(["hasOwnProperty"]);
    expect(ir!.train.loss).toMatchObject({ output: "hasOwnProperty", target: "__proto__" });
    const twice = compileSource(spec("  input __proto__: 0e"), "t.regnn").diagnostics;
    expect(twice.map((d) => [d.code, d.message])).toEqual([["E102", "'__proto__' is already declared (line 1)"]]);
  });

  it("refuses a target named after a member every object inherits, on the name, with a rename hint", () => {
    for (const n of ["constructor", "toString", "toLocaleString", "valueOf", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]) {
      const { ir, diagnostics } = compileSource(`model M { input x: 0e  target ${n}: 0e  output y = x  train { loss: sse(y, ${n}) } }`, "t.regnn");
      expect(ir).toBeUndefined();
      const col = 31;
      expect(diagnostics.map((d) => [d.code, d.message, d.hint, d.span.startLine, d.span.startColumn, d.span.endLine, d.span.endColumn])).toEqual([
        ["E133", `a target cannot be named '${n}': every JavaScript object has a '${n}', so a graph without this target would not type-check in the generated module`, `rename it, e.g. ${n}_target`, 1, col, 1, col + n.length],
      ]);
    }
  });

  it("rejects names that are not plain ASCII identifiers before they can become code", () => {
    const { diagnostics } = compileSource("model M∞ { input x: 0e output y = x }", "t.regnn");
    expect(diagnostics.map((d) => d.code)).toContain("E130");
  });

  it("never lets a string reach the IR: no construct takes one, and each says so", () => {
    const evil = '"; process.exit(1); //</script>\\u0000"';
    for (const body of [`train { epochs: ${evil} }`, `layer h = conv(x, sh, emb, act: ${evil}) -> 0e`, `train { loss: sse(${evil}, y) }`]) {
      const { ir, diagnostics } = compileSource(
        `model M { input x: 0e  input pos: positions  edge sh = spherical_harmonics(lmax: 1)  edge emb = bessel(count: 2, cutoff: 1)  ${body}  output y = x }`,
        "t.regnn",
      );
      expect(ir, body).toBeUndefined();
      expect(diagnostics.some((d) => d.code === "E113"), body).toBe(true);
    }
  });
});

// Model names become the generated class's name; these are the ones that would break the module: keywords and
// strict-mode reserved words, TypeScript's type names, globals the module uses, and the module's own names.
const MODEL_NAMES = [
  "JSON", "eval", "arguments", "plan", "Promise", "GPUDevice", "undefined", "class", "await", "yield", "let", "static", "implements",
  "interface", "package", "enum", "async", "any", "number", "never", "unknown", "object", "symbol", "globalThis", "NaN", "Infinity",
  "CompiledModel", "ModelPlan", "CreateModelOptions", "ArrayLike", "Float32Array", "device", "options", "p", "e", "constructor",
  "__proto__", "prototype", "toString", "Object", "Symbol", "require", "module", "exports", "window", "process", "type", "declare",
];

/** A file name that ends a `//` comment (U+2028), closes a block comment and opens a string, all at once. */
const EVIL_FILE = 'evil\u2028name */ "x\u2029.regnn';

function moduleFor(model: string, runtimeImport: string): { cls: string; ts: string } {
  const spec = `model ${model} {
  input x: 0e + 1o
  input __proto__: 0e
  input constructor: 0e
  target isPrototypeOf_: 0e per graph
  layer prototype = self_connection(x, __proto__) -> 0e
  layer toString = add(prototype, constructor)
  layer valueOf = pool(toString)
  output __defineGetter__ = valueOf per graph
  train { loss: sse(__defineGetter__, isPrototypeOf_) }
}`;
  const { ir, diagnostics } = compileSource(spec, EVIL_FILE);
  if (!ir) throw new Error(`${model}: ${diagnostics.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return { cls: className(ir.model), ts: emitModelModule(planModel(ir), { specFile: EVIL_FILE, runtimeImport, compilerVersion: "1.0 */ \u2028" }) };
}

describe("the generated module for hostile names", () => {
  it("type-checks under --strict for every model name, with hostile field names and file name", () => {
    const project = new Project({
      compilerOptions: {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: ["@webgpu/types"], typeRoots: [resolve(root, "node_modules")], skipLibCheck: true,
        paths: { "regnn/runtime": [resolve(root, "runtime/index.ts")] },
      },
    });
    project.addSourceFileAtPath(resolve(root, "runtime/index.ts"));
    project.resolveSourceFileDependencies();
    const files = MODEL_NAMES.map((n, i) => {
      const { cls, ts: code } = moduleFor(n, "regnn/runtime");
      // A use of the module as an application would write it: the class, its graph type, its outputs.
      const use = `\nexport async function use(d: GPUDevice, g: ${cls}Graph): Promise<Float32Array> {\n  const m = await ${cls}.create(d);\n  return (await m.forward([g]))["__defineGetter__"];\n}\n` +
        `export const graph: ${cls}Graph = { numNodes: 1, features: { x: [1, 0, 0, 0], ["__proto__"]: [2], constructor: [3] } };\n`;
      return project.createSourceFile(resolve(root, `generated-check/hostile-${i}/${cls}.ts`), code + use);
    });
    const problems = project
      .getPreEmitDiagnostics()
      .filter((d) => files.includes(d.getSourceFile()!))
      .map((d) => `${d.getSourceFile()!.getBaseName()}:${d.getLineNumber() ?? "?"}: ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ")}`);
    expect(problems).toEqual([]);
  });

  it("imports and runs as JavaScript for every model name, exporting the model class", async () => {
    const dir = mkdtempSync(join(tmpdir(), "regnn-hostile-"));
    try {
      const runtime = pathToFileURL(resolve(root, "runtime/index.ts")).href;
      for (const [i, n] of MODEL_NAMES.entries()) {
        const { cls, ts: code } = moduleFor(n, runtime);
        const js = moduleToJavaScript(code);
        // A line terminator inside the header comment would have ended it: the rest would be code.
        expect(js.split(/[\n\r\u2028\u2029]/).find((l) => l.startsWith("// Generated")), n).toMatch(/^\/\/ Generated by regnnc 1\.0 \*\\\/ \\u2028 from "evil\\u2028name \*\\\/ \\"x\\u2029\.regnn" \(spec sha256 [0-9a-f]{64}\)\. Do not edit\.$/);
        const file = join(dir, `m${i}.mjs`);
        writeFileSync(file, js);
        const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
        expect(Object.keys(mod), n).toEqual([cls]);
        const C = mod[cls] as { name: string; create: unknown };
        expect(C.name, n).toBe(cls);
        expect(typeof C.create, n).toBe("function");
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps every generated WGSL kernel free of spec strings: no name or file name in it, plain ASCII", () => {
    const { ir } = compileSource(
      `model fn { symmetry relax to C1 lmax 1  input __proto__: 0e + 1o  input var: positions  edge let = spherical_harmonics(lmax: 1)  edge struct = bessel(count: 2, cutoff: 1)
       layer constructor = relaxed_conv(__proto__, let, struct) -> 2x0e + 1o  layer loop = gate(constructor) -> 0e + 1o  layer workgroup = pool(loop)  output eval = workgroup }`,
      EVIL_FILE,
    );
    for (const k of planModel(ir!).kernels) {
      expect(/^[\t\n\x20-\x7e]*$/.test(k.code), k.label).toBe(true);
      for (const name of ["__proto__", "constructor", "eval", "evil"]) expect(k.code.includes(name), `${k.label}: ${name}`).toBe(false);
    }
  });
});
