// Validates Kubernetes manifests offline against the Kubernetes schemas (kubernetes-models: the API's OpenAPI
// schemas as JSON Schema, checked with ajv), with no API server:
//   node tests/k8s/validate.mjs FILE.yaml...
// Prints one line per object ("ok KIND NAME" or "error KIND NAME: what") and exits 1 when any object is invalid,
// is of a kind it does not know, or a file does not parse.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

let failed = false;
const fail = (message) => {
  console.log(`error ${message}`);
  failed = true;
};

for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      fail(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null)
      continue;
    const { apiVersion, kind } = object;
    const name = `${kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      fail(`${file}: ${name}: apiVersion and kind are required`);
      continue;
    }
    // core/v1 → kubernetes-models/v1/KIND; apps/v1 → kubernetes-models/apps/v1/KIND
    let model;
    try {
      model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
    } catch {
      model = undefined;
    }
    if (typeof model !== "function") {
      fail(`${file}: ${name}: unknown apiVersion/kind ${apiVersion}/${kind}`);
      continue;
    }
    try {
      new model(object).validate();
      console.log(`ok ${name}`);
    } catch (e) {
      fail(`${file}: ${name}: ${e.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
