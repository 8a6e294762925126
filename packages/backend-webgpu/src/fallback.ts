/** The sentence every "cannot initialize" error ends with: how to keep going on another backend. */
export function fallbackHint(name: string, inBrowser: boolean): string {
  const others = inBrowser ? "'webgl', 'wasm'" : "'wasm' (or 'node' / 'node-gpu' from @aigc/backend-node-gpu)";
  const list = inBrowser ? `['${name}', 'webgl', 'wasm']` : `['${name}', 'wasm']`;
  return `To train anyway, pick another backend (${others}) or a fallback list such as backend: ${list}; the first that initializes is used and reported as trainer.backend.`;
}
