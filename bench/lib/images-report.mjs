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
  return lines.join('\n');
}
