// Every built-in example compiles, and its dataset (as scripts/paper-datasets.ts makes it) fits its spec.
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compiler/compile.js";
import { datasetFromText } from "../../compiler/data/from-text.js";
import { datasetJson, EXAMPLES } from "./examples.js";

describe("built-in examples", () => {
  it("are the specs of specs/, cube -> prism first", () => {
    expect(EXAMPLES[0]!.name).toBe("cube_to_prism");
    expect(EXAMPLES.map((e) => e.name)).toEqual(expect.arrayContaining(["cube_to_prism", "cube_to_box", "cube_to_cube", "charged_particle"]));
  });
  for (const ex of EXAMPLES) {
    it(`${ex.name} compiles${ex.data ? " and its dataset fits it" : ""}`, () => {
      const { ir, diagnostics } = compileSource(ex.spec, `${ex.name}.regnn`);
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      if (!ex.data) return;
      const graphs = datasetFromText(datasetJson(ex.data()), `${ex.name}.json`, ir!);
      expect(graphs.length).toBeGreaterThan(0);
      expect(ir!.train.loss).not.toBeNull();
    });
  }
});
