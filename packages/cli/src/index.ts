export { createProgram } from './program.js';
export type { CommandOutput } from './output.js';
