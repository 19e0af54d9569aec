// Compiles the app stylesheet from GOV.UK Frontend and MoJ Frontend sources and copies
// their scripts and images into static/vendor/. Flask serves only static/vendor/ and static/js/
// (casework/web/static_files.py), never this script or the Sass sources. Run by `make assets`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });

const css = sass.compile(join(root, "static", "src", "app.scss"), {
  loadPaths: [root, modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "slash-div"],
});
// MoJ Frontend compiles its components against its own copy of the GOV.UK settings, which
// name the GOV.UK-only typeface; only our font stack may remain.
const stylesheet = css.css.replaceAll('"GDS Transport",', "");
if (stylesheet.includes("GDS Transport")) {
  throw new Error("GDS Transport is still referenced in app.css");
}
writeFileSync(join(vendor, "app.css"), stylesheet);

const copies = [
  // ES modules: imported by static/js/app.js, never loaded as classic scripts.
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "govuk-frontend.min.js.map"],
  ["govuk-frontend/dist/govuk/assets/images", "govuk/images"],
  ["govuk-frontend/dist/govuk/assets/rebrand/images", "govuk/rebrand/images"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js.map", "moj-frontend.min.js.map"],
  ["@ministryofjustice/frontend/moj/assets/images", "moj/images"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(vendor, to), { recursive: true });
}
console.log("static/vendor built");
