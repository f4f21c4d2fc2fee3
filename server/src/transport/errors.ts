// Typed failures of the transport, so callers map them without parsing messages.

/** The offer's own faults: the player's, each also a code of the error registry. */
export type OfferRefusalCode =
  | 'sdp_too_large' // the offer is over MAX_SDP_BYTES
  | 'too_many_candidates' // the offer has more than MAX_CANDIDATES a=candidate lines
  | 'invalid_sdp'; // not a data-channel SDP, or libdatachannel refused it

export type TransportErrorCode =
  | OfferRefusalCode
  | 'unavailable' // this side cannot take part: no local ICE candidate (its UDP port is taken)
  | 'timeout' // gathering or channel opening took longer than allowed
  | 'closed'; // the peer connection closed before the step finished

export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isTransportError = (e: unknown): e is TransportError => e instanceof TransportError;

const OFFER_REFUSALS: ReadonlySet<TransportErrorCode> = new Set<OfferRefusalCode>([
  'sdp_too_large',
  'too_many_candidates',
  'invalid_sdp',
]);

/** A refusal of the offer itself, the player's fault; any other failure is the server's. */
export const isOfferRefusal = (e: unknown): e is TransportError & { code: OfferRefusalCode } =>
  isTransportError(e) && OFFER_REFUSALS.has(e.code);

/** Rejects with a TransportError('timeout') if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new TransportError('timeout', `${what} took longer than ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
