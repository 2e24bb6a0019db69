export * from './org/credit-code.js';
