import type { CertificateState } from '@zizhi/core';
import type { PublicCertificate } from './schemas.js';

/** Text for HTML and SVG (both XML-like): the five characters that could end a text or attribute. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STATE_COLOURS: Record<CertificateState, string> = {
  active: '#3c9a3c',
  suspended: '#e67e22',
  downgraded: '#8c8c8c',
  superseded: '#8c8c8c',
  revoked: '#d9363e',
  abandoned: '#d9363e',
  expired: '#d9363e',
  invalidated: '#d9363e',
};

/** What the badge's right half and the page's state line say. */
export function validityText(cert: PublicCertificate): string {
  if (cert.state !== 'active') return cert.stateLabel;
  return cert.expiresOnConfirmed ? `有效至 ${cert.expiresOn}` : `有效至 ${cert.expiresOn}（推算）`;
}

const PAGE_STYLE = `
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f5f5f5;color:#1f1f1f}
main{max-width:560px;margin:40px auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:20px;margin:0 0 16px}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:8px 0;border-bottom:1px solid #f0f0f0;vertical-align:top}
th{width:7em;color:#595959;font-weight:normal}
.state{display:inline-block;color:#fff;border-radius:4px;padding:1px 8px}
footer{margin-top:16px;font-size:12px;color:#8c8c8c;line-height:1.6}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The public verification page of one certificate: zh-CN, self-contained, no scripts. */
export function renderVerifyPage(cert: PublicCertificate, checkedOn: string): string {
  const e = escapeMarkup;
  const rows: Array<[string, string]> = [
    ['企业名称', e(cert.company)],
    ['评估等级', `${e(cert.level)} ${e(cert.levelName)}`],
    ['证书编号', e(cert.number)],
    ['评估机构', e(cert.issuer)],
    ['发证日期', e(cert.issuedOn)],
    ['有效期至', cert.expiresOnConfirmed ? e(cert.expiresOn) : `${e(cert.expiresOn)}（按发证日期推算，未经核对）`],
    ['当前状态', `<span class="state" style="background:${STATE_COLOURS[cert.state]}">${e(cert.stateLabel)}</span>`],
  ];
  return page(
    `信息系统建设和服务能力评估证书 ${cert.number} · 公开验证`,
    `<h1>信息系统建设和服务能力评估证书</h1>
<table>
${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('\n')}
</table>
<footer>以上信息由证书持有企业自愿公开，状态按 ${e(checkedOn)}（北京时间）计算。如需正式核验，请以评估机构公布的信息为准。</footer>`,
  );
}

/** The page for an unknown or unpublished number: the same for both, so neither is revealed. */
export function renderNotFoundPage(): string {
  return page(
    '未找到证书',
    `<h1>未找到证书</h1>
<p>没有找到这个地址的公开证书：地址可能有误，或持证企业没有公开这张证书。</p>`,
  );
}

/** Approximate rendered width at 11 px: wide (CJK, full-width) characters take about twice a Latin one. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x2e80) width += 11;
    else if (/[A-Z0-9]/.test(ch)) width += 7.5;
    else if (ch === ' ') width += 3.5;
    else width += 6.5;
  }
  return Math.ceil(width);
}

/** An embeddable flat badge, e.g. "CS3 良好级 | 有效至 2029-03-14", coloured by state. */
export function renderBadge(cert: PublicCertificate): string {
  const e = escapeMarkup;
  const left = `${cert.level} ${cert.levelName}`;
  const right = validityText(cert);
  const lw = textWidth(left) + 12;
  const rw = textWidth(right) + 12;
  const w = lw + rw;
  const label = `${left}：${right}（${cert.company} ${cert.number}）`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${e(label)}">
<title>${e(label)}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${STATE_COLOURS[cert.state]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,'DejaVu Sans','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${e(left)}</text>
<text x="${lw + rw / 2}" y="14">${e(right)}</text>
</g>
</svg>
`;
}
