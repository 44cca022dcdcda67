/**
 * Python source from untrusted spec text. Everything a spec names (models, layers, inputs, irreps strings)
 * reaches the generated module only as data inside one JSON document, itself inside one Python string
 * literal made here: pure ASCII, every quote, backslash and control character escaped. The escapes JSON
 * writes (\" \\ \n \t \r \b \f \uXXXX) mean the same in a Python string literal, so the literal holds
 * exactly the JSON text, and no spec text can end it.
 */

/** JSON text with every non-ASCII UTF-16 unit written as \uXXXX (json.loads joins surrogate pairs back). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A Python string literal whose value is `text` (any text). */
export function pythonStringLiteral(text: string): string {
  return asciiJson(text);
}

const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type".split(" "),
);

/** A Python identifier from a name: letters, digits and '_' only, not starting with a digit, never a keyword. */
export function pythonIdentifier(name: string, fallback = "Model"): string {
  let id = name.replace(/[^A-Za-z0-9_]/g, "_");
  if (!id || /^\d/.test(id)) id = `${fallback}_${id}`;
  if (KEYWORDS.has(id) || id.startsWith("__")) id = `${fallback}_${id}`;
  return id;
}
