// Ports shared by the security groups, the ALB, the user data and the tests.

/** The Express app over TLS (REST, SSE signalling, /healthz, /readyz); reached only by the ALB. */
export const HTTP_PORT = 8080;
/** Prometheus metrics (METRICS_PORT), bound to loopback on each node; no security group opens it. */
export const METRICS_PORT = 9464;
/** UDP port of a host's first server process (ICE UDP mux); process i uses RTC_UDP_PORT + i. */
export const RTC_UDP_PORT = 10000;
/** TURN: UDP and TCP listener, TLS listener, and the relay ports coturn allocates from. */
export const TURN_PORT = 3478;
export const TURN_TLS_PORT = 443;
export const TURN_RELAY_PORTS = { from: 49152, to: 65535 } as const;
/** ElastiCache Redis (TLS + AUTH); not the default 6379, so scans for open Redis miss it. */
export const REDIS_PORT = 6380;
/** The ALB listener CloudFront talks to: HTTPS with a certificate, HTTP without. */
export const HTTPS_PORT = 443;
export const PLAIN_HTTP_PORT = 80;
/** Seconds the ALB keeps a deregistering node for in-flight requests. */
export const DEREGISTRATION_DELAY_SECONDS = 30;
/** Name of the termination lifecycle hook the drain script completes. */
export const DRAIN_HOOK_NAME = 'drain';
