// Loads every built-in augmentation, each registering itself by name (see registry.ts).
import './data-augmentation.js';
import './diff-augment.js';
import './adaptive.js';
