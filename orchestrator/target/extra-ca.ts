// NODE_EXTRA_CA_CERTS without its start-up cost. node reads and parses that bundle, and builds its
// root store, before any of gonogo runs, on every call: 80 ms of a ~1.1 s `make verify` on a
// machine that points it at the system bundle (node -e 0: 118 ms with it, 38 ms without, measured),
// though only a TLS connection to a database needs it. `make` and ./gonogo hand it over as
// GONOGO_EXTRA_CA_CERTS instead; the first URL target installs it here, and from then on a TLS
// context made without a `ca` of its own trusts node's bundled roots plus those certificates, which
// is what node does with NODE_EXTRA_CA_CERTS. A URL with sslrootcert keeps exactly its own CA.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

type Tls = typeof import("node:tls");

let installed = false;

/** Trust GONOGO_EXTRA_CA_CERTS in every later TLS context without its own `ca` (idempotent). */
export function trustHandedOverCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GONOGO_EXTRA_CA_CERTS;
  if (installed || !file) return;
  installed = true;
  // node:tls loads here, for a URL run that may use it (~10 ms), not on every run
  const tls = createRequire(import.meta.url)("node:tls") as Tls;
  const original = tls.createSecureContext;
  let ca: string[] | undefined;
  tls.createSecureContext = (options) => {
    if (options?.ca) return original(options);
    if (!ca) {
      try {
        ca = [...tls.rootCertificates, readFileSync(file, "utf8")];
      } catch (e) {
        // node's own behaviour for an unreadable NODE_EXTRA_CA_CERTS: say so once, keep the bundled roots
        process.emitWarning(`Ignoring extra certs from ${file}, load failed: ${(e as Error).message}`);
        ca = [...tls.rootCertificates];
      }
    }
    return original({ ...options, ca });
  };
}
