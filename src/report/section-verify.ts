import { hash, html, type Html } from './html.js';
import type { ReportData } from './types.js';

/**
 * "How to verify this independently": commands a third party can run with nothing but the
 * packages, the custody log and the public keys — with leakwatch, with standard tools only
 * (sha256sum, unzip, jq, openssl), and with ReplayWeb.page. The expected values are filled in.
 */

const BY_HAND = `unzip -q PACKAGE.wacz -d pkg && cd pkg
# a. every file against datapackage.json (each line must say OK)
jq -r '.resources[] | "\\(.hash | ltrimstr("sha256:"))  \\(.path)"' datapackage.json | sha256sum -c -
# b. datapackage.json against the signed hash (the two lines must be equal)
echo "sha256:$(sha256sum datapackage.json | cut -d' ' -f1)"; jq -r .signedData.hash datapackage-digest.json
# c. the ECDSA P-384 signature over that hash (raw r||s converted to DER for openssl)
jq -r .signedData.signature datapackage-digest.json | base64 -d > sig.raw
printf 'asn1=SEQUENCE:sig\\n[sig]\\nr=INTEGER:0x%s\\ns=INTEGER:0x%s\\n' \\
  "$(head -c 48 sig.raw | xxd -p -c 48)" "$(tail -c 48 sig.raw | xxd -p -c 48)" > sig.cnf
openssl asn1parse -genconf sig.cnf -out sig.der -noout
jq -j .signedData.hash datapackage-digest.json > signed.txt
openssl dgst -sha256 -verify ../counsel-keys/package-signing.pub.pem -signature sig.der signed.txt   # Verified OK
# d. the trusted timestamp, once obtained (over the raw signature bytes)
openssl ts -verify -data sig.raw -in ../PACKAGE.wacz.tsr -CAfile tsa-ca.pem                        # Verification: OK`;

export function verifySection(d: ReportData): Html {
  const signing = d.keys.find((k) => k.role === 'package-signing');
  const custody = d.keys.find((k) => k.role === 'custody-log');
  const present = d.packages.filter((p) => p.sha256);
  const sums = present.map((p) => `${p.sha256 as string}  ${p.fileName}`).join('\n');
  const verifyLines = present.map((p) => `leakwatch evidence verify ${p.fileName} --keys counsel-keys/ --log custody.jsonl`).join('\n');
  const first = present[0]?.fileName ?? 'capture-ID.wacz';
  return html`<section id="verify"><h2>5. How to verify this independently</h2>
<p>Nothing in this report needs to be taken on trust. With the package files, the custody log (<code>custody.jsonl</code> and <code>custody.jsonl.head</code>)
and the public keys (<code>leakwatch keys export --out counsel-keys/</code>), anyone can check offline that the packages are the ones described here,
unchanged since they were signed, and recorded in the custody log. No network access is needed, and no leak site is contacted.</p>

<h3>1. The keys are the ones you were given</h3>
<p>Read the fingerprints below to the operator over a second channel (telephone) and compare:</p>
<pre>openssl pkey -pubin -in counsel-keys/package-signing.pub.pem -outform DER | sha256sum
# must print ${signing?.fingerprint ?? '(no package-signing key was found)'}
openssl pkey -pubin -in counsel-keys/custody-log.pub.pem -outform DER | sha256sum
# must print ${custody?.fingerprint ?? '(no custody-log key was found)'}</pre>

<h3>2. The package files are the ones listed in this report</h3>
<p>Save these lines as <code>SHA256SUMS</code> next to the packages and run <code>sha256sum -c SHA256SUMS</code>; every line must end in OK:</p>
<pre>${sums || '(no package files)'}</pre>

<h3>3. Full check with leakwatch (offline)</h3>
<pre>${verifyLines || `leakwatch evidence verify ${first} --keys counsel-keys/ --log custody.jsonl`}
# add --tsa-cert tsa-ca.pem to check the RFC 3161 timestamps against the time-stamp authority's certificate</pre>
<p>It exits 0 and prints VALID when the signature, every file's SHA-256, the capture entry in the custody log (with its Merkle inclusion proof)
and the log's hash chain and signed checkpoints all check out; otherwise it lists each problem (an edited, removed, added or reordered entry,
a changed file, another signing key…).</p>

<h3>4. By hand, with standard tools only (unzip, sha256sum, jq, openssl)</h3>
<pre>${BY_HAND.replaceAll('PACKAGE', first.replace(/\.wacz$/, ''))}</pre>

<h3>5. In ReplayWeb.page</h3>
<p>Open https://replayweb.page (or the offline ReplayWeb.page desktop app) and load a <code>.wacz</code> file. The captured page can be browsed as it
was captured, and the archive's information panel reports the signature as valid and shows the signing <code>publicKey</code>; it must equal the
base64 of the package-signing key:</p>
<pre>openssl pkey -pubin -in counsel-keys/package-signing.pub.pem -outform DER | base64 -w0</pre>
<p class="muted">ReplayWeb.page checks the signature, datapackage.json against it, and pages.jsonl; use step 3 or 4 for the SHA-256 of every file.
Package-signing key fingerprint: ${hash(signing?.fingerprint)}</p>

<h3>What this proves, and what it does not</h3>
<p>A capture shows who captured a page (the signing key), when at the latest (the RFC 3161 timestamp, once obtained from a time-stamp authority —
leakwatch's own clock proves nothing by itself) and that nothing changed since (hashes and signatures). No capture can prove what a server sent:
over Tor there is no server certificate, only the onion address, whose identity key is recorded with each capture. The custody log shows that no
entry was altered, removed or reordered after a signed checkpoint; whoever holds the custody key could rewrite the whole log, which is why checkpoints
are time-stamped and can be sent to counsel as they are made.</p></section>`;
}
