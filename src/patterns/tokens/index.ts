/** Service-to-service tokens: HS256 JWTs, signing and verifying them, and the auth middleware. */
export * from './service-token.js';
export * from './service-auth.js';
