/**
 * Headers that make the page cross-origin isolated (`crossOriginIsolated === true`), which
 * browsers require before they give a page SharedArrayBuffer, and so multi-threaded WebAssembly.
 * The dev and preview servers send them (vite.config.ts), and so does the end-to-end test's server;
 * a static host must send them too. Everything the page loads is same-origin, so `require-corp` blocks nothing.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;
