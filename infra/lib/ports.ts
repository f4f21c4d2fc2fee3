// Ports shared by the security groups, the ALB, the user data and the tests.

/** The Express app (REST, SSE signalling, /healthz, /readyz); reached only through the ALB. */
export const HTTP_PORT = 8080;
/** Prometheus metrics (METRICS_PORT), bound to loopback on each node; no security group opens it. */
export const METRICS_PORT = 9464;
/** One UDP port for every WebRTC peer on a node (ICE UDP mux, RTC_UDP_PORT). */
export const RTC_UDP_PORT = 10000;
/** ElastiCache Redis with in-transit encryption. */
export const REDIS_PORT = 6379;
/** The ALB listener CloudFront talks to: HTTPS with a certificate, HTTP without. */
export const HTTPS_PORT = 443;
export const PLAIN_HTTP_PORT = 80;
/** Seconds the ALB keeps a deregistering node for in-flight requests. */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** Name of the termination lifecycle hook the drain script completes. */
export const DRAIN_HOOK_NAME = 'drain';
