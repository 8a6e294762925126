import { tf } from '../../tf.js';
import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from '../../kernels/adam-kernel.js';

/** The state tfjs' AdamOptimizer keeps in (TypeScript-)private fields, read by the fused update. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/** Whether the active backend has the fused kernel (the wasm backend after `registerWasmKernels`). */
function fusedKernelAvailable(): boolean {
  return tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * tfjs' Adam with a fused update: on backends with the `AigcAdamUpdate` kernel (aigc's wasm
 * backend) each variable takes one kernel instead of about 14 element-wise ops, with bit-identical
 * results; elsewhere it runs tfjs' own `applyGradients`. It is a `tf.AdamOptimizer` (class name
 * `Adam`, same config, weights and slot order), so checkpoints move freely between the two.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** Updates the named variables with their gradients (one fused kernel each where available), then counts the step. */
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const gradients: Array<tf.Tensor | undefined> = names.map((name, i) => (list ? variableGradients[i]?.tensor : variableGradients[name]));
    const float32 = names.every((name, i) => tf.engine().registeredVariables[name]?.dtype === 'float32' && (gradients[i]?.dtype ?? 'float32') === 'float32');
    if (!fusedKernelAvailable() || !float32) {
      super.applyGradients(variableGradients);
      return;
    }
    const state = this as unknown as AdamState;
    const attrs: AdamUpdateAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name] as tf.Variable;
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = gradients[i];
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        const inputs = { x: value, m, v, g: gradient, accBeta1: state.accBeta1, accBeta2: state.accBeta2 };
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_UPDATE_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM as tf.Tensor);
        v.assign(newV as tf.Tensor);
        value.assign(newValue as tf.Tensor);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** Builds a {@link FusedAdamOptimizer} from `getConfig()` output (as tfjs' `AdamOptimizer.fromConfig`). */
export function fusedAdamFromConfig(config: tf.serialization.ConfigDict): FusedAdamOptimizer {
  const num = (key: string) => config[key] as number;
  return new FusedAdamOptimizer(num('learningRate'), num('beta1'), num('beta2'), num('epsilon'));
}

/**
 * Adam with aigc's fused update (see {@link FusedAdamOptimizer}); same arguments and defaults
 * as `tf.train.adam`: learningRate 0.001, beta1 0.9, beta2 0.999, epsilon the backend's (1e-7).
 * The Trainer's default optimizers are `adam(2e-4, 0.5)`.
 */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon as number);
}
