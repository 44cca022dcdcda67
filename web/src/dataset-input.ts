/** A dataset file from the page: dropped on the dataset panel, or chosen with its file input. */
export function onDatasetFile(panel: HTMLElement, input: HTMLInputElement, use: (file: File) => void): void {
  input.addEventListener("change", () => {
    const f = input.files?.[0];
    if (f) use(f);
    input.value = ""; // choosing the same file again is a change too
  });
  for (const type of ["dragenter", "dragover"]) {
    panel.addEventListener(type, (e) => {
      e.preventDefault();
      panel.classList.add("over");
    });
  }
  panel.addEventListener("dragleave", () => panel.classList.remove("over"));
  panel.addEventListener("drop", (e) => {
    e.preventDefault();
    panel.classList.remove("over");
    const f = (e as DragEvent).dataTransfer?.files?.[0];
    if (f) use(f);
  });
  // A file dropped anywhere else would make the browser leave the page to show it.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
}
