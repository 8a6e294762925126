// Loads every built-in loss and regularizer, each registering itself by name (see registry.ts).
import './gradient-penalty.js';
import './hinge.js';
import './least-squares.js';
import './minimax.js';
import './non-saturating.js';
import './r1-penalty.js';
import './relativistic.js';
import './wasserstein.js';
