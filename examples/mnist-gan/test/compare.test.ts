import { describe, expect, it } from 'vitest';
import { drawText, sideBySide, textWidth } from '../src/compare.js';

const gray = (width: number, height: number, value: number) => ({ width, height, channels: 1 as const, data: new Uint8Array(width * height).fill(value) });

describe('compare.png layout', () => {
  it('draws 3x5 pixel text, scaled', () => {
    const img = gray(20, 12, 0);
    drawText(img, 'i1', 0, 0, 2);
    // "I" = rows 111 / 010 / 010 / 010 / 111 at scale 2: the top row is lit over 6 pixels.
    expect(Array.from(img.data.subarray(0, 8))).toEqual([255, 255, 255, 255, 255, 255, 0, 0]);
    expect(img.data[2 * 20 + 0]).toBe(0);
    expect(img.data[2 * 20 + 2]).toBe(255);
    expect(textWidth('i1', 2)).toBe(14);
  });

  it('places panels side by side under their labels', () => {
    const a = gray(30, 20, 100);
    const b = gray(40, 10, 200);
    const out = sideBySide([{ label: 'as written', image: a }, { label: 'ok', image: b }], { gap: 4, scale: 1 });
    const labelHeight = 5 + 4;
    const widthA = Math.max(30, textWidth('as written', 1));
    expect(out.width).toBe(widthA + 40 + 3 * 4);
    expect(out.height).toBe(labelHeight + 20 + 4);
    expect(out.data[labelHeight * out.width + 4]).toBe(100);
    expect(out.data[labelHeight * out.width + 4 + widthA + 4]).toBe(200);
    // Label pixels are white, above the panel.
    expect(Array.from(out.data.subarray(2 * out.width, labelHeight * out.width)).some((v) => v === 255)).toBe(true);
    expect(() => sideBySide([{ label: 'x', image: { ...a, channels: 3 } }])).toThrow(/gray/);
  });
});
