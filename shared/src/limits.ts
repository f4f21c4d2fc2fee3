// Limits that more than one layer states: the server's schemas and error messages, the web
// form, the docs, the local user pool and the CDK password policy are all built from (or a test
// checks them against) these constants, so a change here is a change everywhere.

/** Shortest password accepted (ASVS 5.0 6.2.x: length, no composition rules). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password accepted, so a hash of a huge input is never asked for. */
export const PASSWORD_MAX_LENGTH = 256;
/** Largest offer SDP, in bytes of UTF-8: a data-channel offer is about 1 KB. */
export const SDP_MAX_BYTES = 16 * 1024;
/** Most ICE candidates an offer may carry. */
export const SDP_MAX_CANDIDATES = 20;
/** Largest JSON request body, in bytes (DESIGN.md: bodies over 16 KB get 413). */
export const BODY_MAX_BYTES = 16 * 1024;

/** `16 KB` for 16384: how the docs and messages write a byte limit. */
export const kilobytes = (bytes: number) => `${bytes / 1024} KB`;
