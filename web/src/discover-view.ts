/**
 * What the playground's Discover shows: the candidates decided so far (the table `regnnc discover` prints,
 * bulk verdicts folded into one line each) and, once the search ends, its answer, worded as the CLI's last
 * line. The search itself is compiler/discover/run.ts, the same code the CLI runs.
 */
import type { Decision } from "../../compiler/discover/search.js";
import type { DiscoverResult } from "../../compiler/discover/run.js";
import { byText, foldedLines, vecText } from "../../compiler/discover/report.js";

const cell = (tag: "td" | "th", text: string): HTMLElement => {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
};

/** The candidates decided so far, the order they were tried in, one row per trained or witnessed candidate. */
export function showCandidates(table: HTMLTableElement, decisions: readonly Decision[]): void {
  const head = document.createElement("tr");
  head.append(...["group", "axis", "loss", "fits", "decided by"].map((h) => cell("th", h)));
  const rows = decisions
    .filter((d) => d.by === "trained" || d.by === "witness")
    .map((d) => {
      const tr = document.createElement("tr");
      tr.className = d.fits ? "fits" : "fails";
      tr.dataset["group"] = d.candidate.name;
      tr.dataset["by"] = d.by;
      const axes = [d.candidate.axis && vecText(d.candidate.axis), d.candidate.secondary && `secondary ${vecText(d.candidate.secondary)}`].filter(Boolean).join(", ");
      const loss = d.loss === null ? "-" : Number.isFinite(d.loss) ? d.loss.toExponential(3) : "diverged";
      tr.append(cell("td", d.candidate.name), cell("td", axes || "-"), cell("td", loss), cell("td", d.fits ? "yes" : "no"), cell("td", byText(d)));
      return tr;
    });
  const folded = foldedLines(decisions).map((line) => {
    const tr = document.createElement("tr");
    tr.className = "folded";
    const td = cell("td", line);
    (td as HTMLTableCellElement).colSpan = 5;
    tr.append(td);
    return tr;
  });
  table.replaceChildren(head, ...rows, ...folded);
}

/** The answer, as the last line of `regnnc discover`'s report, with the group's name and axis as data attributes. */
export function showAnswer(result: HTMLElement, r: DiscoverResult): void {
  result.textContent = r.text.split("\n").at(-1) ?? "";
  result.dataset["group"] = r.json.group;
  result.dataset["axis"] = r.json.axis ? JSON.stringify(r.json.axis) : "";
  result.dataset["inputGroup"] = r.json.input_group ?? "";
  result.className = "answer";
}

export function clearDiscover(result: HTMLElement, table: HTMLTableElement, log: HTMLElement, text = "press Discover"): void {
  result.innerHTML = `<span class="muted"></span>`;
  result.firstElementChild!.textContent = text;
  for (const k of ["group", "axis", "inputGroup"]) delete result.dataset[k];
  result.className = "";
  table.replaceChildren();
  log.textContent = "";
}
