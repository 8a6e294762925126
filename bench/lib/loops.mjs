// The three training loops compared by the benchmark, each over its own copy of the same model,
// the same synthetic data and batch size. Each exposes `run(steps)` that trains and syncs.
import { tf, tfl, Trainer, Rng } from '../../packages/core/dist/index.js';

const LR = 2e-4;
const BETA1 = 0.5;

/** Mean sigmoid cross-entropy against constant targets, as a user would write it in tfjs-core. */
function bce(logits, target) {
  return tf.losses.sigmoidCrossEntropy(target === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits);
}

/** Batches from an ImageDataset in a seeded shuffled order, reshuffled each epoch (as users write it). */
function batcher(data, batchSize, seed) {
  const rng = new Rng(seed);
  let order = data.epochOrder(rng);
  let pos = 0;
  return () => {
    if (pos + batchSize > order.length) {
      order = data.epochOrder(rng);
      pos = 0;
    }
    const b = data.batch(order, pos, batchSize);
    pos += batchSize;
    return b.images;
  };
}

/** Our Trainer: `fit(data, { steps })`. */
export function trainerLoop({ gan, data, batchSize, backend, seed }) {
  const trainer = new Trainer(gan, { backend, batchSize, seed });
  return {
    name: 'trainer',
    run: async (steps) => {
      const h = await trainer.fit(data, { steps });
      return h.metrics[h.metrics.length - 1];
    },
    dispose: () => trainer.dispose(),
  };
}

/**
 * The hand-written tfjs-core VAE loop: one Adam(1e-3) over encoder and decoder, one
 * `optimizer.minimize` per step of the negative ELBO (Bernoulli cross-entropy with logits summed
 * per image + closed-form KL, averaged over the batch), as a user would write it.
 */
export function vaeHandLoop({ gan: vae, data, batchSize, seed }) {
  const opt = tf.train.adam(1e-3);
  const vars = [...vae.encoder.trainableWeights, ...vae.generator.trainableWeights].map((w) => w.read());
  const next = batcher(data, batchSize, seed);
  let noiseSeed = seed;
  return {
    name: 'hand',
    run: async (steps) => {
      let last;
      for (let i = 0; i < steps; i++) {
        const x = next();
        const loss = tf.tidy(() =>
          opt.minimize(() => {
            const [mu, logVar] = tf.split(vae.encoder.apply(x, { training: true }), 2, 1);
            const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape, 0, 1, 'float32', noiseSeed++)));
            const logits = tf.reshape(tf.mul(vae.decodePreActivation(z, true), 2), [batchSize, -1]);
            const target = tf.reshape(tf.mul(tf.add(x, 1), 0.5), [batchSize, -1]);
            const rec = tf.sum(tf.sub(tf.softplus(logits), tf.mul(logits, target)), 1);
            const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(logVar), tf.square(mu)), tf.add(1, logVar)), 1));
            return tf.mean(tf.add(rec, kl));
          }, true, vars),
        );
        last = (await loss.data())[0];
        loss.dispose();
        x.dispose();
      }
      return { loss: last };
    },
    dispose: () => opt.dispose(),
  };
}

/** The hand-written tfjs-core loop: two `optimizer.minimize` calls per step inside one tidy (the VAE's own for a VAE). */
export function handLoop({ gan, data, batchSize, seed }) {
  if (gan.encoder) return vaeHandLoop({ gan, data, batchSize, seed });
  const G = gan.generator;
  const D = gan.discriminator;
  const latent = G.inputs[0].shape[1];
  const optD = tf.train.adam(LR, BETA1);
  const optG = tf.train.adam(LR, BETA1);
  const dVars = D.trainableWeights.map((w) => w.read());
  const gVars = G.trainableWeights.map((w) => w.read());
  const next = batcher(data, batchSize, seed);
  let zSeed = seed;
  return {
    name: 'hand',
    run: async (steps) => {
      let last;
      for (let i = 0; i < steps; i++) {
        const real = next();
        const losses = tf.tidy(() => {
          const fake = G.apply(tf.randomNormal([batchSize, latent], 0, 1, 'float32', zSeed++), { training: true });
          const dLoss = optD.minimize(
            () => tf.add(bce(D.apply(real, { training: true }), 1), bce(D.apply(fake, { training: true }), 0)),
            true,
            dVars,
          );
          const z = tf.randomNormal([batchSize, latent], 0, 1, 'float32', zSeed++);
          const gLoss = optG.minimize(() => bce(D.apply(G.apply(z, { training: true }), { training: true }), 1), true, gVars);
          return tf.stack([dLoss, gLoss]);
        });
        last = await losses.data();
        losses.dispose();
        real.dispose();
      }
      return { dLoss: last[0], gLoss: last[1] };
    },
    dispose: () => {
      optD.dispose();
      optG.dispose();
    },
  };
}

/**
 * The Keras-style loop of tfjs-examples' mnist-acgan: `D.trainOnBatch` on real+fake, then
 * `combined.trainOnBatch` on a G -> frozen-D model. tfjs-layers quirk: freezing D sets its
 * variables' `trainable` flag, which `optimizer.minimize` honours, so D must be unfrozen before
 * its own update and frozen again before the combined one (compile-time freezing alone is not enough).
 */
export function kerasLoop({ gan, data, batchSize, seed }) {
  const G = gan.generator;
  const D = gan.discriminator;
  const latent = G.inputs[0].shape[1];
  const loss = (yTrue, yPred) => tf.losses.sigmoidCrossEntropy(yTrue, yPred);
  D.compile({ optimizer: tf.train.adam(LR, BETA1), loss });
  D.trainable = false;
  const zIn = tfl.input({ shape: [latent] });
  const combined = tfl.model({ inputs: zIn, outputs: D.apply(G.apply(zIn)) });
  combined.compile({ optimizer: tf.train.adam(LR, BETA1), loss });
  const next = batcher(data, batchSize, seed);
  let zSeed = seed;
  const yReal = tf.ones([batchSize, 1]);
  const yDisc = tf.concat([tf.ones([batchSize, 1]), tf.zeros([batchSize, 1])]);
  return {
    name: 'keras',
    run: async (steps) => {
      let dLoss;
      let gLoss;
      for (let i = 0; i < steps; i++) {
        const real = next();
        const x = tf.tidy(() => {
          const fake = G.predict(tf.randomNormal([batchSize, latent], 0, 1, 'float32', zSeed++));
          return tf.concat([real, fake]);
        });
        D.trainable = true;
        dLoss = await D.trainOnBatch(x, yDisc);
        D.trainable = false;
        x.dispose();
        real.dispose();
        const z = tf.randomNormal([batchSize, latent], 0, 1, 'float32', zSeed++);
        gLoss = await combined.trainOnBatch(z, yReal);
        z.dispose();
      }
      return { dLoss, gLoss };
    },
    dispose: () => {
      D.trainable = true;
      D.optimizer?.dispose();
      combined.optimizer?.dispose();
      yReal.dispose();
      yDisc.dispose();
    },
  };
}

export const LOOPS = { trainer: trainerLoop, hand: handLoop, keras: kerasLoop };
