/**
 * The report's only stylesheet, inlined (the HTML must stand alone: no external fonts or
 * files). Sized for A4 print; long onion URLs and hashes wrap anywhere instead of running off
 * the page, and tables repeat their header on each printed page.
 */
export const REPORT_CSS = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt; line-height: 1.4; color: #111; margin: 0 auto; }
@media screen { body { max-width: 190mm; padding: 8mm 0; } }
h1 { font-size: 18pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 8mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5px solid #333; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
.banner { border: 2px solid #8b0000; color: #8b0000; padding: 2mm 3mm; font-weight: bold; margin-bottom: 4mm; }
.facts { border-collapse: collapse; width: 100%; }
.facts th { text-align: left; width: 38mm; vertical-align: top; padding: 1mm 2mm 1mm 0; font-weight: 600; }
.facts td { padding: 1mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6px solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #e8e8e8; }
.facts th, .facts td { border: none; background: none; font-size: 9.5pt; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em; overflow-wrap: anywhere; word-break: break-all; }
code.hash { font-size: 0.85em; }
pre { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 7.5pt; background: #f4f4f4; border: 0.6px solid #ccc; padding: 2mm; white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; break-inside: avoid; }
.none { color: #888; }
.ok { color: #0a5d00; font-weight: 600; }
.bad { color: #a00000; font-weight: 600; }
.warn { color: #8a5a00; }
.muted { color: #555; font-size: 8.5pt; }
.toc { columns: 2; font-size: 9pt; margin: 2mm 0 0; }
.sample { border: 0.6px solid #bbb; padding: 2mm 3mm; margin: 3mm 0; break-inside: avoid; }
.capture { margin: 3mm 0; break-inside: avoid; }
img.shot { max-width: 100%; max-height: 240mm; width: auto; height: auto; border: 0.6px solid #999; display: block; margin: 2mm 0; }
.notice { border: 1px dashed #555; padding: 3mm 4mm; font-family: "DejaVu Serif", "Liberation Serif", Georgia, serif; font-size: 10pt; }
.notice ol { padding-left: 5mm; }
mark.ph { background: #fff2a8; font-weight: bold; padding: 0 0.5mm; }
ul.problems { margin: 1mm 0; padding-left: 5mm; }
table.timeline td:nth-child(1) { width: 4%; } table.timeline td:nth-child(2) { width: 16%; } table.timeline td:nth-child(5) { width: 16%; }
table.matches td:nth-child(1), table.matches td:nth-child(2) { width: 24%; } table.matches td:nth-child(3) { width: 12%; }
table.documents td:nth-child(1) { width: 9%; overflow-wrap: normal; word-break: normal; } table.documents td:nth-child(2) { width: 26%; }
table.counts { width: auto; min-width: 60%; }
`;
