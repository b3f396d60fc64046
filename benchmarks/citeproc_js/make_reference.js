// Render CSL-JSON items with citeproc-js (through citation-js) to give citekit reference outputs.
//
//   node make_reference.js OUT.json ITEMS.json STYLE_ID=STYLE.csl [STYLE_ID=STYLE.csl ...]
//
// For each style: the bibliography (plain text, one entry per item, in citeproc-js's order)
// and one citation per item, all with the en-US locale. Called by make_reference.py.
'use strict'

const fs = require('fs')
const { plugins, util } = require('@citation-js/core')
require('@citation-js/plugin-csl')

const [out, itemsPath, ...styleArgs] = process.argv.slice(2)
const items = util.downgradeCsl(JSON.parse(fs.readFileSync(itemsPath, 'utf8')))
const csl = plugins.config.get('@csl')
const result = { engine: `citeproc-js ${require('citeproc').PROCESSOR_VERSION} via @citation-js/plugin-csl`, styles: {} }

for (const arg of styleArgs) {
  const at = arg.indexOf('=')
  const id = arg.slice(0, at)
  const name = `citekit-ref-${id}`
  csl.templates.add(name, fs.readFileSync(arg.slice(at + 1), 'utf8'))
  const engine = csl.engine(items, name, 'en-US', 'text')
  const ids = items.map(item => item.id)
  engine.updateItems(ids)
  const entries = []
  if (engine.bibliography && engine.bibliography.tokens && engine.bibliography.tokens.length) {
    const [meta, body] = engine.makeBibliography()
    body.forEach((text, i) => entries.push([meta.entry_ids[i][0], text.trim()]))
  }
  const citations = ids.map(key => [key, engine.makeCitationCluster([{ id: key }])])
  result.styles[id] = { entries, citations }
  process.stderr.write(`${id}: ${entries.length} entries, ${citations.length} citations\n`)
}
fs.writeFileSync(out, JSON.stringify(result, null, 0) + '\n')
