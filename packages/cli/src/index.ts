/**
 * @aigc/cli: the `aigc` command line as a library — run it in-process ({@link runCli}), reuse its
 * option parsing and progress bar in your own scripts, or write a run's HTML report.
 * @packageDocumentation
 */
export { runCli, mainHelp, cliVersion, COMMANDS, EXIT } from './main.js';
export { say, type CliIo, type CliCommand } from './io.js';
export { runProgram, type RunProgramOptions } from './program.js';
export { listenForStopSignals, STOP_SIGNAL_EXIT_CODES, type StopSignals, type StopSignalOptions, type StopSignalName } from './stop-signals.js';
export {
  UsageError,
  defineCommand,
  parseCommand,
  helpText,
  intOption,
  numberOption,
  stringOption,
  choiceOption,
  flagOption,
  type OptionSpec,
  type Bounds,
  type OptionTable,
  type ParsedOptions,
  type ParsedCommand,
  type CommandSpec,
} from './args.js';
export { progressBar, formatDuration, type ProgressStream, type ProgressBarOptions } from './progress.js';
export { writeRunReport, pickGrids, type RunReportOptions } from './report/run-report.js';
export { renderReportHtml, type ReportContent, type ReportGrid } from './report/html.js';
export { renderSvg, compileChart, vegaRuntimeSource, type VegaSpec } from './report/render.js';
export { runPaths, isRunFolder, RUN_CONFIG_FILE, type RunPaths } from './run/layout.js';
export { readRunConfig, writeRunConfig, MODEL_NAMES, LOSS_NAMES, AUGMENT_NAMES, type RunConfig, type ModelName, type LossName, type AugmentName } from './run/config.js';
export { readRunMetrics, type RunMetrics } from './run/metrics.js';
export { loadTrainingData, fitImages, type TrainingSet, type TrainingDataOptions } from './train/data.js';
export { TRAIN_DEFAULTS } from './commands/train.js';
export * from './charts.js';
