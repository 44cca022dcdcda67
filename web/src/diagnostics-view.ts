/** The compiler's diagnostics in the page: squiggles in the editor and a `file:line:col` list below it. */
import { setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import type { Diagnostic } from "../../grammar/diagnostic.js";

const describe = (d: Diagnostic) => `${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;

export function showDiagnostics(editor: EditorView, list: HTMLElement, file: string, ds: readonly Diagnostic[], internalError?: string): void {
  const len = editor.state.doc.length;
  const marks: CmDiagnostic[] = ds.map((d) => {
    const from = Math.min(d.span.startOffset, len);
    return { from, to: Math.max(from, Math.min(d.span.endOffset, len)), severity: d.severity, message: describe(d), source: "regnnc" };
  });
  editor.dispatch(setDiagnostics(editor.state, marks));
  const rows = ds.map((d) => {
    const row = document.createElement("div");
    row.className = `diag ${d.severity}`;
    row.dataset["line"] = String(d.span.startLine);
    row.dataset["code"] = d.code;
    row.textContent = `${file}:${d.span.startLine}:${d.span.startColumn} ${d.severity} ${describe(d)}`;
    row.addEventListener("click", () => {
      editor.dispatch({ selection: { anchor: Math.min(d.span.startOffset, editor.state.doc.length) }, scrollIntoView: true });
      editor.focus();
    });
    return row;
  });
  if (internalError) {
    const row = document.createElement("div");
    row.className = "diag error";
    row.textContent = `internal compiler error (please report it): ${internalError}`;
    rows.push(row);
  }
  if (rows.length === 0) {
    const ok = document.createElement("div");
    ok.className = "ok";
    ok.textContent = "✓ no problems";
    rows.push(ok);
  }
  list.replaceChildren(...rows);
  list.dataset["count"] = String(ds.filter((d) => d.severity === "error").length + (internalError ? 1 : 0));
}
