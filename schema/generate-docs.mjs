// Generates the generated sections of the documentation: the usage block (from --help) and the
// reference tables from the JSON Schemas (the one definition of each format): `npm run generate`.
// test/readme.test.ts fails when a page is out of date.

import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Each generated section: the schema, the root definitions to document (with the words a row's
// path starts with), and the page that holds its markers.
const SECTIONS = {
  'policy-reference': {
    page: 'docs/policy.md',
    schema: 'policy.schema.json',
    roots: [['#/$defs/rulesPolicy', '(rules format)'], ['#/$defs/identitiesPolicy', '(identities format)']],
  },
  'report-reference': { page: 'docs/report.md', schema: 'report.schema.json', roots: [['#', '']] },
};

// The pages holding generated sections, each with the sections it holds.
export const GENERATED_PAGES = {
  'docs/usage.md': ['usage'],
  'docs/policy.md': ['policy-reference'],
  'docs/report.md': ['report-reference'],
};

// Returns the Markdown table of one section: one row per field, with its JSON path, its type and
// the schema's description.
export async function generateSection(name) {
  const section = SECTIONS[name];
  const schema = JSON.parse(await readFile(new URL(`./${section.schema}`, import.meta.url), 'utf8'));
  const rows = [];
  for (const [root, label] of section.roots) walk(schema, resolve(schema, root), label, rows, new Set());
  const lines = ['| field | type | meaning |', '| --- | --- | --- |'];
  for (const row of rows) lines.push(`| \`${row.path || '(document)'}\` | ${row.type} | ${cell(row.description)} |`);
  return `${lines.join('\n')}\n`;
}

// The usage block: --help's text (src/cli/help.ts) without its first two lines.
async function generateUsage() {
  const source = await readFile(new URL('../src/cli/help.ts', import.meta.url), 'utf8');
  const help = source.slice(source.indexOf('`') + 1, source.lastIndexOf('`'));
  return `\`\`\`\n${help.split('\n').slice(2).join('\n').trimEnd()}\n\`\`\`\n`;
}

// One page (a key of GENERATED_PAGES, relative to the repository) with every generated section
// replaced by what the schemas (and --help) say now.
export async function generatePage(page) {
  let text = await readFile(new URL(`../${page}`, import.meta.url), 'utf8');
  for (const name of GENERATED_PAGES[page]) {
    const start = `<!-- ${name}:start (generated from schema/ by npm run generate; do not edit) -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${page} has no ${name} markers`);
    const body = name === 'usage' ? await generateUsage() : await generateSection(name);
    text = `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`;
  }
  return text;
}

function walk(schema, node, path, rows, seen) {
  node = resolve(schema, node);
  const alternatives = node.oneOf ?? node.anyOf;
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      const resolved = resolve(schema, child);
      const childPath = path ? `${path}.${key}` : key;
      rows.push({ path: childPath + (node.required?.includes(key) ? '' : '?'), type: typeOf(schema, resolved), description: resolved.description ?? child.description ?? '' });
      descend(schema, resolved, childPath, rows, seen);
    }
  } else if (alternatives) {
    for (const alternative of alternatives) descend(schema, resolve(schema, alternative), path, rows, seen);
  }
}

function descend(schema, node, path, rows, seen) {
  const key = `${path}|${JSON.stringify(node).length}`;
  if (seen.has(key) || path.split('.').length > 6) return;
  seen.add(key);
  if (node.type === 'array' && node.items) walk(schema, node.items, `${path}[]`, rows, seen);
  else if (node.properties || node.oneOf || node.anyOf) walk(schema, node, path, rows, seen);
}

function resolve(schema, node) {
  let current = typeof node === 'string' ? { $ref: node } : node;
  for (let i = 0; current.$ref && i < 10; i++) {
    const target = current.$ref === '#' ? schema : current.$ref.replace(/^#\//, '').split('/').reduce((at, part) => at?.[part], schema);
    current = { ...target, ...(current.description ? { description: current.description } : {}) };
  }
  return current;
}

function typeOf(schema, node) {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const alternatives = node.oneOf ?? node.anyOf;
  if (alternatives) return [...new Set(alternatives.map((a) => typeOf(schema, resolve(schema, a))))].join(' or ');
  if (node.type === 'array') return `array of ${typeOf(schema, resolve(schema, node.items ?? {}))}`;
  if (Array.isArray(node.type)) return node.type.join(' or ');
  return node.type ?? 'any';
}

function cell(text) {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const page of Object.keys(GENERATED_PAGES)) {
    const url = new URL(`../${page}`, import.meta.url);
    await writeFile(url, await generatePage(page));
    process.stdout.write(`wrote ${fileURLToPath(url)}\n`);
  }
}
