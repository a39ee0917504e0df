/** The API's public face: the server factory and the ports the engine implements for it. */
export { createApiServer, DEFAULT_BODY_LIMIT_BYTES, type ApiServer, type ApiServerOptions, type ListenAddress } from './server.js';
export type { ApiPorts, Authenticator, ControllerUpdate, Identity } from './ports.js';
export { CLOSE_AUTH_TIMEOUT, CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED, type StreamOptions } from './stream.js';
export { ApiInputError } from './errors.js';
