// The stamped copy's layout in Typst (stamped-copy.ts). Like the reports' (typst-template.ts), the
// texts arrive as JSON in `sys.inputs.data` and are placed as text, never read as markup; the scan
// and the QR code are files of this document only, named by the data.
export const STAMP_TEMPLATE = String.raw`
#let d = json(bytes(sys.inputs.data))
#let hei = "Noto Sans S Chinese"
#let red = rgb(170, 20, 20)
#set document(title: d.title, author: "Zizhi")
#set text(font: hei, lang: "zh", region: "cn", fallback: false)
#set page(paper: "a4", margin: 0pt)
#let scan = if d.scan.ends-with(".pdf") {
  image(d.scan, page: 1, width: 100%, height: 100%, fit: "contain")
} else {
  image(d.scan, width: 100%, height: 100%, fit: "contain")
}
#place(top + center, dy: 8mm, box(width: 194mm, height: 236mm, scan))
#place(center + horizon, dy: -14mm, rotate(-30deg, reflow: false, stack(
  spacing: 24mm,
  ..range(10).map(_ => text(size: 17pt, fill: rgb(200, 30, 30, 80), range(3).map(_ => d.watermark).join("      "))),
)))
#place(bottom + center, dy: -8mm, box(
  width: 194mm,
  inset: 4mm,
  stroke: 0.8pt + red,
  fill: white,
  grid(
    columns: if d.qr != none { (1fr, 28mm) } else { (1fr,) },
    column-gutter: 4mm,
    align: (left + horizon, right + horizon),
    stack(spacing: 2.2mm, ..d.band.map(l => text(size: 10.5pt, fill: red, l))),
    ..if d.qr != none { (image(d.qr, width: 28mm),) } else { () },
  ),
))
`;
