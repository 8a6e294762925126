// Markdown for the folder-loading rows of the benchmark (bench/images.mjs).

/** The folder-loading table of `result` (the JSON bench/images.mjs writes). */
export function renderImagesMarkdown(result) {
  const lines = [
    '### Loading image folders (`loadImageFolder`, sharp)',
    '',
    `${result.cores} cores (${result.cpu}), Node ${result.node}, sharp ${result.sharp} (libvips ${result.vips}); ` +
      `load average ${result.loadAvgStart.map((v) => v.toFixed(2)).join(' / ')} at the start, peak RSS ${result.peakRssMB.toFixed(0)} MB.`,
    '',
    '| format | files | source | to | decode + resize | images/s | cached reload | uint8 memory |',
    '| --- | ---: | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.format} | ${r.count} | ${r.source} | ${r.size} | ${r.coldSeconds.toFixed(2)} s | ${r.imagesPerSecond.toFixed(0)} | ${r.cachedSeconds.toFixed(3)} s | ${r.megabytes.toFixed(1)} MB |`,
    );
  }
  const m = result.memory;
  if (m) {
    lines.push(
      '',
      `Memory: ${m.loaded.toLocaleString('en')} synthetic 64x64 JPEGs loaded with \`loadImageFolder(dir, { size: 64, channels: 3, cache: false })\` ` +
        `(${m.uint8MB.toFixed(0)} MB as uint8, ${m.loadSeconds.toFixed(1)} s), then ${m.steps} steps of \`dcgan({ resolution: 64, channels: 3 })\` at batch 64 on wasm ` +
        `(${m.trainSeconds.toFixed(1)} s), in a fresh process: peak RSS **${m.peakRssAfterLoadMB.toFixed(0)} MB** after loading, **${m.peakRssMB.toFixed(0)} MB** after training.`,
    );
  }
  return lines.join('\n');
}
