// Loads every built-in sampler, each registering itself by name (see registry.ts).
import './sampler.js';
import './truncated.js';
import './uniform.js';
