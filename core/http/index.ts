export { startHttpServer } from './server.ts';
export type { HttpServer, HttpServerOptions } from './server.ts';
