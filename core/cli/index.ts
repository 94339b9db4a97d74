export { main } from './main.ts';
export type { MainOptions } from './main.ts';
