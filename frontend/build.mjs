// Compiles our Sass against GOV.UK Frontend and MOJ Frontend and copies the browser scripts we serve.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "caseview/static/dist";
mkdirSync(out, { recursive: true });


const css = sass.compile("frontend/caseview.scss", {
  style: "compressed",
  loadPaths: ["."],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/caseview.css`, css.css);
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets", `${out}/assets`, { recursive: true });
cpSync("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/assets", `${out}/moj`, { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
console.log(`built ${out}`);
