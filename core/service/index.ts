export * from './contract.ts';
export { dispatch, isApiMethod } from './dispatch.ts';
export { createApiClient, createHttpCall } from './client.ts';
export type { ApiCall, HttpCallOptions } from './client.ts';
