import { ed25519 } from '@noble/curves/ed25519';
const sk = ed25519.utils.randomPrivateKey();
const msg = new Uint8Array(1200);
for (let k=0;k<3;k++){ let t=performance.now(); for (let i=0;i<500;i++) ed25519.sign(msg, sk); console.log('noble sign ms', ((performance.now()-t)/500).toFixed(3)); }
const { createPrivateKey, sign } = await import('node:crypto');
