/** Saves bytes or text as a file through the browser's download. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later: the download may not have started reading the blob yet.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
