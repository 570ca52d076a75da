/** A webhook URL whose host is, or resolves to, an address webhooks may not be sent to. */
export class RefusedTargetError extends Error {
  constructor(
    readonly host: string,
    readonly reason: 'link-local' | 'private' | 'reserved' | 'unresolvable' | 'scheme',
  ) {
    super(
      reason === 'unresolvable'
        ? `${host} does not resolve`
        : reason === 'scheme'
          ? 'only http and https URLs can receive webhooks'
          : `${host} is a ${reason} address`,
    );
    this.name = 'RefusedTargetError';
  }
}
