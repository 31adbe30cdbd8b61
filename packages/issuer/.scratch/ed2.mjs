import { generateKeyPairSync, sign } from 'node:crypto';
const { privateKey } = generateKeyPairSync('ed25519');
const msg = Buffer.alloc(1200);
for (let k=0;k<3;k++){ let t=performance.now(); for (let i=0;i<2000;i++) sign(null, msg, privateKey); console.log('node sign ms', ((performance.now()-t)/2000).toFixed(4)); }
