// Minimal types for the dev-only interop reference implementation (the package ships none).
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export class BitstringStatusList {
    constructor(opts: { length?: number; buffer?: Uint8Array });
    readonly length: number;
    setStatus(index: number, status: boolean): void;
    getStatus(index: number): boolean;
    encode(): Promise<string>;
    static decode(opts: { encodedList: string }): Promise<BitstringStatusList>;
  }
  /** True when the credential carries a Bitstring status entry in a context the library recognises; throws on a bad context. */
  export function statusTypeMatches(opts: { credential: Record<string, unknown> }): boolean;
}
