#!/usr/bin/env node
// Checks an AscCollab receipt offline, with Node.js alone (no packages, no network):
//
//   node verify-receipt.mjs RECEIPT.jws JWKS.json [TEXT.txt]
//
// RECEIPT.jws: the receipt as downloaded (the compact JWS; a JSON file holding it as "receipt" also works).
// JWKS.json:   the deployment's public keys, saved from GET /api/receipts/jwks.
// TEXT.txt:    optional, the text as agreed (UTF-8): its SHA-256 must be the receipt's textSha256.
// Prints the claims and "valid" and exits 0; prints why and exits 1 when the receipt does not hold.
import { readFileSync } from 'node:fs';
import { createHash, createPublicKey, verify } from 'node:crypto';

const [receiptFile, jwksFile, textFile] = process.argv.slice(2);
if (!receiptFile || !jwksFile) {
  console.error('usage: node verify-receipt.mjs RECEIPT.jws JWKS.json [TEXT.txt]');
  process.exit(2);
}

function refuse(why) {
  console.log(`NOT VALID: ${why}`);
  process.exit(1);
}

let jws = readFileSync(receiptFile, 'utf8').trim();
if (jws.startsWith('{')) jws = JSON.parse(jws).receipt ?? '';
const parts = jws.split('.');
if (parts.length !== 3) refuse('not a compact JWS (three base64url parts separated by dots)');
const [header64, payload64, signature64] = parts;

const header = JSON.parse(Buffer.from(header64, 'base64url').toString('utf8'));
if (header.alg !== 'ES256') refuse(`algorithm ${header.alg}, not ES256`);
const jwk = JSON.parse(readFileSync(jwksFile, 'utf8')).keys.find((k) => k.kid === header.kid);
if (!jwk) refuse(`key ${header.kid} is not in the JWKS`);

// ES256: ECDSA P-256 with SHA-256 over "header.payload"; the signature is r||s (64 bytes), not DER.
const signed = verify('sha256', Buffer.from(`${header64}.${payload64}`, 'ascii'),
  { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
  Buffer.from(signature64, 'base64url'));
if (!signed) refuse(`the signature does not match the content under key ${header.kid}`);

const claims = JSON.parse(Buffer.from(payload64, 'base64url').toString('utf8'));
if (claims.kid !== header.kid) refuse('the payload names another key than the header');
if (textFile) {
  const sha = createHash('sha256').update(readFileSync(textFile)).digest('hex');
  if (sha !== claims.textSha256) refuse(`the text's SHA-256 is ${sha}, the receipt's ${claims.textSha256}`);
}

console.log(JSON.stringify(claims, null, 2));
console.log(`valid: ${claims.member} ${claims.act}${claims.position ? ` (${claims.position})` : ''} on ${claims.proposal} revision ${claims.revision}, `
  + `audit entry ${claims.auditHead.sequence}, at ${claims.at}, key ${header.kid}`);
