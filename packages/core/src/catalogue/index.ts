export * from './catalogue.js';
export * from './planner.js';
export * from './evidence-map.js';
export * from './corrections.js';
