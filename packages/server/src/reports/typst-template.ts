// The PDF layout in Typst, the same as docx.ts draws in Word. The document arrives as JSON in
// `sys.inputs.data` and its strings are placed as text: nothing in it is read as Typst markup.
// Fonts from npm (reports/pdf.ts): Noto Serif SC (Song: weight 900 for titles in place of 方正小标宋,
// 400 for body text in place of 仿宋, which no npm package ships as TTF/OTF) and Noto Sans S Chinese
// (Hei, 黑体) for headings; each text names its family, so no installed font is ever used.
export const TEMPLATE = String.raw`
#let doc = json(bytes(sys.inputs.data))
#let serif = "Noto Serif SC"
#let hei = "Noto Sans S Chinese"
#set document(title: doc.title, author: "Zizhi")
#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm), footer: none)
#set text(font: serif, size: 16pt, lang: "zh", region: "cn", fallback: false)
#set par(justify: true, leading: 12.95pt, spacing: 12.95pt, first-line-indent: (amount: 2em, all: true))
#set table(stroke: 0.5pt)

#let cover = doc.cover
#v(3.5cm)
#align(center, text(weight: 900, size: 22pt, cover.title))
#if cover.at("subtitle", default: none) != none {
  v(0.5em)
  align(center, text(size: 16pt, cover.subtitle))
}
#v(3cm)
#pad(left: 20mm, grid(
  columns: (auto, 1fr),
  row-gutter: 1.2em,
  ..cover.lines.map(l => (text(font: hei, weight: 700, l.at(0) + "："), l.at(1))).flatten()
))
#v(1fr)
#align(center, cover.date)
#v(2cm)
#pagebreak()

#counter(page).update(1)
#set page(footer: context {
  let n = counter(page).get().first()
  let label = text(size: 14pt, "— " + str(n) + " —")
  if calc.odd(n) { align(right, label) } else { align(left, label) }
})

#for b in doc.blocks {
  if b.type == "heading" {
    block(breakable: false, sticky: true, above: 12.95pt, below: 12.95pt,
      pad(left: 2em, if b.level == 1 { text(font: hei, weight: 700, b.text) } else { text(weight: 700, b.text) }))
  } else if b.type == "paragraph" {
    let a = b.at("align", default: "left")
    if a == "left" and b.at("indent", default: true) {
      par(b.text)
    } else {
      align(if a == "center" { center } else if a == "right" { right } else { left }, par(first-line-indent: 0pt, b.text))
    }
  } else if b.type == "table" {
    if b.rows.len() == 0 {
      par(b.empty)
    } else {
      set text(size: 14pt)
      set par(justify: false, first-line-indent: 0pt, leading: 0.5em)
      let aligns = b.columns.map(c => {
        let a = c.at("align", default: "left")
        if a == "right" { right + horizon } else if a == "center" { center + horizon } else { left + horizon }
      })
      table(
        columns: b.columns.map(c => c.width * 1fr),
        align: (x, y) => if y == 0 { center + horizon } else { aligns.at(x) },
        inset: 5pt,
        table.header(..b.columns.map(c => text(font: hei, weight: 700, c.title))),
        ..b.rows.map(r => r.map(cell => [#cell])).flatten(),
      )
    }
  } else if b.type == "signature" {
    for line in b.lines { align(right, par(first-line-indent: 0pt, line)) }
  } else if b.type == "pageBreak" {
    pagebreak()
  }
}
`;
