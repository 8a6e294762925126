/**
 * Test-only setup for WebGPU in Node on machines without a GPU: points Dawn's Vulkan loader at
 * SwiftShader from Debian's `chromium` package. Library code never does this; users get their
 * system's driver. Returns why it cannot be set up, or undefined when ready.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:os';

/** Where Debian's chromium package keeps SwiftShader and its own Vulkan loader. */
export const CHROMIUM_LIB = '/usr/lib/chromium';
export const SWIFTSHADER_ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;

const RTLD_NODELETE = 0x1000; // glibc; keeps the library loaded after process.dlopen rejects it as an addon

function systemHasVulkanLoader(): boolean {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

/** Prepares Vulkan for Dawn in this process; call before the first `webgpu` load. */
export function useSoftwareVulkanForTests(): string | undefined {
  if (process.platform !== 'linux') return `software Vulkan setup is Linux-only (this is ${process.platform})`;
  if (process.env.VK_ICD_FILENAMES === undefined) {
    if (!existsSync(SWIFTSHADER_ICD)) return `no Vulkan ICD configured and ${SWIFTSHADER_ICD} is missing (apt-get install chromium)`;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  if (!systemHasVulkanLoader()) {
    const loader = `${CHROMIUM_LIB}/libvulkan.so.1`;
    if (!existsSync(loader)) return 'libvulkan.so.1 is not installed (apt-get install libvulkan1)';
    // Preload chromium's copy so Dawn's dlopen("libvulkan.so.1") finds it by soname.
    try {
      process.dlopen({ exports: {} } as NodeJS.Module, loader, constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE);
    } catch {
      // Expected: it is not a Node addon, but it stays loaded (RTLD_NODELETE).
    }
  }
  return undefined;
}
