export * from './contract.ts';
export { dispatch, isApiMethod } from './dispatch.ts';
export { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './contentSecurityPolicy.ts';
export { createApiClient, createHttpCall } from './client.ts';
export type { ApiCall, HttpCallOptions } from './client.ts';
