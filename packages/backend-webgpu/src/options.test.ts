/** The adapters' option objects: unknown keys fail at the factory call, without a GPU or a browser. */
import { describe, expect, it } from 'vitest';
import { unknownOptionError } from '../test/expect-unavailable.js';
import { webgl, webglBackend, webgpu, webgpuBackend } from './index.js';

describe('@aigc/backend-webgpu options', () => {
  it('webgpuBackend rejects an unknown key with an UnknownOptionError naming the nearest valid key', () => {
    const error = unknownOptionError(() => webgpuBackend({ lowpower: true } as never));
    expect(error).toMatchObject({ where: 'webgpuBackend', suggestion: 'lowPower', allowed: ['lowPower', 'dawnFlags', 'importModule'] });
    expect((error as Error).message).toMatch(/unknown option "lowpower"\. Did you mean "lowPower"\?/);
    expect(unknownOptionError(() => webgpu({ dawnFlag: [] } as never))).toMatchObject({ where: 'webgpuBackend', suggestion: 'dawnFlags' });
    expect(webgpuBackend({ lowPower: true, dawnFlags: [] }).name).toBe('webgpu');
  });

  it('webglBackend rejects an unknown key the same way, also under its deprecated name', () => {
    const error = unknownOptionError(() => webglBackend({ requireFloat16: false } as never));
    expect(error).toMatchObject({ where: 'webglBackend', suggestion: 'requireFloat32', allowed: ['requireFloat32'] });
    expect(unknownOptionError(() => webgl({ float32: true } as never))).toMatchObject({ suggestion: 'requireFloat32' });
    expect(webglBackend({ requireFloat32: false }).name).toBe('webgl');
  });
});
