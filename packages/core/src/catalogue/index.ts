export * from './catalogue.js';
export * from './planner.js';
