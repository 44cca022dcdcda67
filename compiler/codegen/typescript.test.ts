// The emitted module: deterministic, strict-clean TypeScript that imports only the runtime.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { planModel } from "./plan.js";
import { className, emitModelModule, MODULE_IDENTIFIERS } from "./typescript.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const spec = `model Tiny {
  input x: 2x0e + 1x1o
  input __proto__: 1x0e
  target t: 2x0e per graph
  layer l = self_connection(x, __proto__) -> 2x0e
  layer p = pool(l)
  output y = p per graph
  train { loss: sse(y, t) }
}`;

function typeCheck(code: string): string[] {
  const project = new Project({
    compilerOptions: {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: ["@webgpu/types"], typeRoots: [resolve(root, "node_modules")], skipLibCheck: true,
      paths: { "regnn/runtime": [resolve(root, "runtime/index.ts")] },
    },
  });
  project.addSourceFileAtPath(resolve(root, "runtime/index.ts"));
  project.resolveSourceFileDependencies();
  const file = project.createSourceFile(resolve(root, "generated-check/Tiny.ts"), code);
  return project.getPreEmitDiagnostics().filter((d) => d.getSourceFile() === file || d.getSourceFile() === undefined).map((d) => {
    const m = d.getMessageText();
    return `${d.getLineNumber() ?? "?"}: ${typeof m === "string" ? m : m.getMessageText()}`;
  });
}

describe("TypeScript module emission", () => {
  const ir = compileOrThrow(spec, "tiny.regnn");
  const code = emitModelModule(planModel(ir), { specFile: "tiny.regnn" });

  it("imports only the runtime and exports the model class with typed graphs and outputs", () => {
    const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["regnn/runtime"]);
    expect(code).toContain("export class Tiny extends CompiledModel<TinyGraph, TinyOutputs>");
    expect(code).toContain('"__proto__": ArrayLike<number>;');
    expect(code).toContain('"t"?: ArrayLike<number>;');
    expect(code).toContain('"y": Float32Array;');
    expect(code).toContain("static async create(device: GPUDevice, options: CreateModelOptions = {}): Promise<Tiny>");
  });

  it("is deterministic", () => {
    expect(emitModelModule(planModel(compileOrThrow(spec, "tiny.regnn")), { specFile: "tiny.regnn" })).toBe(code);
  });

  it("type-checks under --strict against the runtime", () => {
    expect(typeCheck(code)).toEqual([]);
  });

  it("never uses a reserved word as the class name", () => {
    expect(className("class")).toBe("classModel");
    expect(className("CompiledModel")).toBe("CompiledModelModel");
    expect(className("CubeToPrism")).toBe("CubeToPrism");
    expect(() => className("a-b")).toThrow("not an identifier");
  });

  it("lists every name the module refers to, so that className can keep the model's name clear of them", () => {
    const source = ts.createSourceFile("Tiny.ts", code, ts.ScriptTarget.ES2022, true);
    const names = new Set<string>();
    const visit = (node: ts.Node): void => {
      const parent = node.parent;
      const isMemberName =
        parent !== undefined &&
        ((ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent)) && parent.name === node));
      if (ts.isIdentifier(node) && !isMemberName) names.add(node.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    const own = ["Tiny", "TinyGraph", "TinyOutputs"];
    expect([...names].filter((n) => !own.includes(n)).sort()).toEqual([...MODULE_IDENTIFIERS].sort());
    for (const n of MODULE_IDENTIFIERS) expect(className(n)).toBe(`${n}Model`);
  });
});
