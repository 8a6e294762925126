/** Finding and launching Debian's Chromium with WebGPU on, for the end-to-end test. Never downloads a browser. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium binary: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that expose WebGPU in headless Chromium, on SwiftShader when there is no GPU. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--enable-features=Vulkan'];

/** Why the browser cannot be launched here, or undefined when it can. */
export function browserMissingReason(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`;
}

/** Launches headless Chromium with WebGPU flags. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: WEBGPU_FLAGS });
}
