import { Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreviewBlock, PreviewDocument } from '../../api/documents';

// The draft as a page on screen: the same blocks the Word and PDF files draw, in the fonts a
// Chinese formal document uses where the system has them.
const SERIF = '"FangSong", "STFangsong", "仿宋", "Noto Serif CJK SC", "Source Han Serif SC", serif';
const HEI = '"SimHei", "STHeiti", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
const KAI = '"KaiTi", "STKaiti", "楷体", "Noto Serif CJK SC", serif';

const paper: CSSProperties = {
  background: '#fff',
  color: '#000',
  border: '1px solid #d9d9d9',
  boxShadow: '0 1px 4px rgba(0,0,0,0.08)',
  padding: '32px 36px',
  fontFamily: SERIF,
  fontSize: 15,
  lineHeight: 1.9,
  overflowX: 'auto',
};

const cell: CSSProperties = { border: '1px solid #595959', padding: '2px 6px', lineHeight: 1.5, fontSize: 13 };

function Block({ block }: { block: PreviewBlock }) {
  const { t } = useTranslation();
  switch (block.type) {
    case 'heading':
      return block.level === 1 ? (
        <div style={{ fontFamily: HEI, fontSize: 17, margin: '12px 0 4px' }}>{block.text}</div>
      ) : (
        <div style={{ fontFamily: KAI, fontWeight: 700, fontSize: 16, margin: '8px 0 2px' }}>{block.text}</div>
      );
    case 'paragraph':
      return (
        <p
          style={{
            margin: 0,
            textAlign: block.align ?? 'justify',
            textIndent: block.indent === false || block.align === 'center' ? 0 : '2em',
            whiteSpace: 'pre-wrap',
          }}
        >
          {block.text}
        </p>
      );
    case 'table': {
      const total = block.columns.reduce((sum, c) => sum + c.width, 0) || 1;
      return (
        <div style={{ margin: '6px 0' }}>
          <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed' }}>
            <colgroup>
              {block.columns.map((c, i) => (
                <col key={i} style={{ width: `${(c.width / total) * 100}%` }} />
              ))}
            </colgroup>
            <thead>
              <tr>
                {block.columns.map((c, i) => (
                  <th key={i} style={{ ...cell, fontFamily: HEI, fontWeight: 400, textAlign: 'center' }}>
                    {c.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.length === 0 ? (
                <tr>
                  <td style={{ ...cell, textAlign: 'center' }} colSpan={block.columns.length}>
                    {block.empty}
                  </td>
                </tr>
              ) : (
                block.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((value, i) => (
                      <td key={i} style={{ ...cell, textAlign: block.columns[i]?.align ?? 'left' }}>
                        {value}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {block.more ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('reportTemplate.moreRows', { count: block.more })}
            </Typography.Text>
          ) : null}
        </div>
      );
    }
    case 'signature':
      return (
        <div style={{ textAlign: 'right', margin: '24px 0 8px' }}>
          {block.lines.map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
      );
    case 'pageBreak':
      return (
        <div
          role="separator"
          aria-label={t('reportTemplate.pageBreak')}
          style={{ borderTop: '1px dashed #bfbfbf', margin: '20px -36px' }}
        />
      );
  }
}

/** The document's cover, then its blocks, as one scrolling page. */
export function DocumentPreview({ document }: { document: PreviewDocument }) {
  const { cover } = document;
  return (
    <div style={paper} data-testid="document-preview">
      <div style={{ textAlign: 'center', padding: '24px 0 16px' }}>
        <div style={{ fontFamily: HEI, fontSize: 22, fontWeight: 700 }}>{cover.title}</div>
        {cover.subtitle ? <div style={{ fontSize: 17 }}>{cover.subtitle}</div> : null}
        <div style={{ display: 'inline-block', textAlign: 'left', marginTop: 16 }}>
          {cover.lines.map(([label, value]) => (
            <div key={label}>
              {label}：{value}
            </div>
          ))}
        </div>
        <div style={{ marginTop: 12 }}>{cover.date}</div>
      </div>
      <div style={{ borderTop: '1px dashed #bfbfbf', margin: '8px -36px 16px' }} />
      {document.blocks.map((block, i) => (
        <Block key={i} block={block} />
      ))}
    </div>
  );
}
