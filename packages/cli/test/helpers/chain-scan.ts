// What the ledger holds, for the tests that prove nothing personal is on it.

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: unknown };
  if (body.error !== undefined) throw new Error(JSON.stringify(body.error));
  return body.result;
}

/** Every byte the chain at `url` holds about its blocks and transactions: extraData, calldata, log data and topics, as lowercase hex. */
export async function chainBytes(url: string): Promise<string> {
  const head = Number(await rpc(url, 'eth_blockNumber', []));
  const parts: string[] = [];
  for (let n = 0; n <= head; n++) {
    const block = (await rpc(url, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true])) as { extraData: string; transactions: { hash: string; input: string }[] };
    parts.push(block.extraData);
    for (const tx of block.transactions) {
      parts.push(tx.input);
      const receipt = (await rpc(url, 'eth_getTransactionReceipt', [tx.hash])) as { logs: { data: string; topics: string[] }[] };
      for (const log of receipt.logs) parts.push(log.data, ...log.topics);
    }
  }
  return parts.join('\n').toLowerCase();
}

/** `text` as UTF-8 hex (what to look for in {@link chainBytes}). */
export const hexOf = (text: string): string => Buffer.from(text, 'utf8').toString('hex');
