/**
 * The playground's build: a static page (`npm run web:build` -> web/dist/) and its dev server
 * (`npm run web`, on 127.0.0.1). The compiler front end is imported straight from compiler/ and grammar/;
 * the guard below turns any import of Node's standard library into a build error, so nothing Node-only can
 * slip into the browser bundle unnoticed.
 */
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Fails the build when a module imports a Node built-in (`node:fs`, `path`, …). */
export function noNodeBuiltins(): Plugin {
  return {
    name: "regnn-no-node-builtins",
    enforce: "pre",
    resolveId(source, importer) {
      if (source.startsWith("node:") || NODE_BUILTINS.has(source)) {
        this.error(`${importer ?? "(entry)"} imports Node's '${source}': the browser bundle must not use Node's standard library; move the Node-only part into a file of its own`);
      }
      return null;
    },
  };
}

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths, so the built folder can be served from any path on any static host.
  base: "./",
  plugins: [noNodeBuiltins()],
  worker: { format: "es", plugins: () => [noNodeBuiltins()] },
  server: { host: "127.0.0.1", port: 5173, fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { outDir: fileURLToPath(new URL("./dist", import.meta.url)), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4000 },
});
