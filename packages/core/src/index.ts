export * from './org/credit-code.js';
export * from './errors.js';
export * from './calendar/index.js';
export * from './scheme/levels.js';
export * from './scheme/rules.js';
export * from './lifecycle/states.js';
export * from './obligations/index.js';
