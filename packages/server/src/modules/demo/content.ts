// What a demo workspace holds: six client companies of a consultancy at different points of the
// four-year cycle, with certificates, their history and evidence, dated from today so that there
// is always something due soon, something late and a renewal coming. Written as the calls a
// user would make (`ApiCall`), so every value passes the same checks as one typed by hand.
import { addCalendarDays, addMonths } from '@zizhi/core';

export type ApiCall = <T = unknown>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;

interface DemoOrg {
  name: string;
  creditCode: string;
  address: string;
  legalRepresentative: string;
  /** Months before today the certificate was issued; none: still preparing its application. */
  certificate?: { level: 'CS1' | 'CS2' | 'CS3' | 'CS4'; issuedMonthsAgo: number; supervised: boolean };
  /** Self-checks submitted each spring (CS1, CS2); false: none recorded, so they are late. */
  selfChecks?: boolean;
  /** A complaint received this many days ago (a deadline counted in working days). */
  complaintDaysAgo?: number;
  staff: number;
  projects: number;
  /** Revenue of the last full year in 万元. */
  revenue: number;
}

const ORGS: DemoOrg[] = [
  {
    name: '杭州云帆信息技术有限公司',
    creditCode: '91330106MA2H3DEM1Q',
    address: '浙江省杭州市西湖区文三路 90 号',
    legalRepresentative: '陈立新',
    certificate: { level: 'CS3', issuedMonthsAgo: 20, supervised: true },
    staff: 9,
    projects: 6,
    revenue: 8600,
  },
  {
    name: '杭州数智科技有限公司',
    creditCode: '91330108MA2H5DEM28',
    address: '浙江省杭州市滨江区网商路 699 号',
    legalRepresentative: '王海燕',
    certificate: { level: 'CS2', issuedMonthsAgo: 46, supervised: false },
    selfChecks: true,
    staff: 6,
    projects: 4,
    revenue: 3200,
  },
  {
    name: '无锡星河系统集成有限公司',
    creditCode: '91320214MA1Q7DEM3D',
    address: '江苏省无锡市新吴区清源路 18 号',
    legalRepresentative: '周建国',
    certificate: { level: 'CS4', issuedMonthsAgo: 8, supervised: false },
    staff: 12,
    projects: 8,
    revenue: 26000,
  },
  {
    name: '深圳前海智联软件有限公司',
    creditCode: '91440300MA5F8DEM4L',
    address: '广东省深圳市南山区前海大道 1 号',
    legalRepresentative: '林晓峰',
    certificate: { level: 'CS1', issuedMonthsAgo: 16, supervised: false },
    selfChecks: false,
    staff: 15,
    projects: 3,
    revenue: 900,
  },
  {
    name: '北京中关村慧通科技有限公司',
    creditCode: '91110108MA01DEM05D',
    address: '北京市海淀区中关村大街 27 号',
    legalRepresentative: '赵敏',
    certificate: { level: 'CS2', issuedMonthsAgo: 26, supervised: false },
    selfChecks: true,
    complaintDaysAgo: 3,
    staff: 6,
    projects: 4,
    revenue: 2800,
  },
  {
    name: '成都天府云图科技有限公司',
    creditCode: '91510100MA6C9DEM61',
    address: '四川省成都市高新区天府大道 1700 号',
    legalRepresentative: '刘洋',
    staff: 3,
    projects: 2,
    revenue: 600,
  },
];

const PEOPLE = ['张伟', '李娜', '王磊', '刘芳', '陈静', '杨洋', '赵强', '黄丽', '周杰', '吴敏', '徐涛', '孙燕'];
const ROLES = ['项目经理', '技术负责人', '开发工程师', '测试工程师', '实施工程师', '运维工程师'];
/** Valid 18-digit ID numbers (check digit and birth date): one per staff member of the demo. */
const ID_NUMBERS = [
  '330102197801012009',
  '330103197902062079',
  '330104198003112141',
  '330105198104162216',
  '330106198205212282',
  '330107198306262357',
  '330108198407032426',
  '330109198508082496',
  '330102198609132566',
  '330103198710182636',
  '330104198811232707',
  '330105198912282777',
  '330106199001052840',
  '330107199102102911',
  '330108199203152981',
  '330109199304203051',
  '330102199405253125',
  '33010319950602319X',
  '330104199607073264',
  '330105199708123335',
  '330106197809173400',
  '330107197910223472',
  '330108198011273549',
  '330109198112043618',
  '33010219820109368X',
  '330103198302143750',
  '330104198403193825',
  '330105198504243891',
  '330106198605013960',
  '330107198706064034',
  '330108198807114105',
  '330109198908164175',
  '330102199009214247',
  '330103199110264317',
  '330104199211034381',
  '330105199312084456',
  '33010619940113452X',
  '33010719950218459X',
  '330108199603234660',
  '330109199704284735',
  '330102197805054804',
  '330103197906104870',
  '330104198007154947',
  '330105198108205017',
  '330106198209255087',
  '330107198310025151',
  '330108198411075226',
  '330109198512125292',
  '330102198601175369',
  '33010319870222543X',
  '330104198803275504',
  '330105198904045579',
  '330106199005095645',
  '330107199106145716',
  '330108199207195786',
  '330109199308245857',
  '330102199409015925',
  '330103199510065990',
  '330104199611116060',
  '330105199712166135',
];
const PROJECTS = [
  ['智慧园区综合管理平台', '园区管理委员会'],
  ['政务数据共享交换平台', '市大数据局'],
  ['医院信息系统升级改造', '市第一人民医院'],
  ['智慧交通信号控制系统', '市交通运输局'],
  ['企业资源计划系统实施', '制造集团有限公司'],
  ['数据中心机房建设', '城市商业银行'],
  ['教育云平台运维服务', '区教育局'],
  ['应急指挥调度系统', '市应急管理局'],
] as const;

/**
 * Work due more than a month ago is recorded as done on its due date, as a company that kept up
 * would have it (the last month's stays open, some of it late). A company whose self-checks
 * were never recorded keeps those late.
 */
async function completeHistory(
  call: ApiCall,
  base: string,
  certificateId: string,
  today: string,
  keepSelfChecks: boolean,
) {
  const until = addCalendarDays(today, -31);
  const open = await call<{
    items: Array<{ id: string; dueDate: string; rule: string; status: string; overdue: boolean }>;
  }>('GET', `${base}/obligations?certificateId=${certificateId}&to=${until}&limit=500`);
  const byDay = new Map<string, string[]>();
  for (const o of open.items) {
    if (o.status !== 'open' || !o.overdue) continue;
    if (keepSelfChecks && o.rule.startsWith('self-check')) continue;
    byDay.set(o.dueDate, [...(byDay.get(o.dueDate) ?? []), o.id]);
  }
  for (const [day, ids] of byDay) {
    await call('POST', `${base}/obligations/bulk`, {
      ids,
      status: 'done',
      completedOn: day,
      note: '示例数据：按期完成',
    });
  }
}

/** Money as the API takes it: yuan with two decimals, from 万元. */
const wan = (n: number) => `${(n * 10_000).toFixed(2)}`;

/**
 * Fills the workspace through `call` as of `today` (a China calendar date). Returns how many
 * organisations it added.
 */
export async function fillDemo(call: ApiCall, workspaceId: string, today: string): Promise<number> {
  const thisYear = Number(today.slice(0, 4));
  let person = 0;
  for (const [i, o] of ORGS.entries()) {
    const org = await call<{ id: string }>('POST', '/api/orgs', {
      workspaceId,
      name: o.name,
      creditCode: o.creditCode,
      address: o.address,
      legalRepresentative: o.legalRepresentative,
      foundedOn: `${thisYear - 8 - i}-0${(i % 9) + 1}-15`,
    });
    const base = `/api/orgs/${org.id}`;

    if (o.certificate) {
      const issuedOn = addMonths(today, -o.certificate.issuedMonthsAgo);
      const cert = await call<{ id: string }>('POST', `${base}/certificates`, {
        level: o.certificate.level,
        number: `${o.certificate.level}-${issuedOn.replaceAll('-', '')}-${String(101 + i)}`,
        issuer: '中国电子信息行业联合会',
        issuedOn,
      });
      const events = `${base}/certificates/${cert.id}/events`;
      if (o.certificate.supervised) {
        await call('POST', events, { type: 'supervision.done', date: addMonths(issuedOn, 12), passed: true });
      }
      if (o.selfChecks) {
        // Each spring the report for the year before; only those already past.
        for (let y = Number(issuedOn.slice(0, 4)) + 1; y <= thisYear; y++) {
          const date = `${y}-04-10`;
          if (date >= today) break;
          await call('POST', events, { type: 'self-check.submitted', date, year: y - 1, result: 'normal' });
        }
      }
      if (o.complaintDaysAgo !== undefined) {
        await call('POST', events, { type: 'complaint', date: addCalendarDays(today, -o.complaintDaysAgo) });
      }
      await completeHistory(call, base, cert.id, today, o.selfChecks === false);
    }

    const staffIds: string[] = [];
    for (let s = 0; s < o.staff; s++) {
      const employedFrom = addMonths(today, -(18 + ((s * 7) % 40)));
      const managesProjects = s < Math.ceil(o.staff / 3);
      const created = await call<{ id: string }>('POST', `${base}/staff`, {
        name: `${PEOPLE[(s + i) % PEOPLE.length]}${s >= PEOPLE.length ? s : ''}`,
        idNumber: ID_NUMBERS[person++ % ID_NUMBERS.length],
        role: managesProjects ? '项目经理' : ROLES[1 + (s % (ROLES.length - 1))],
        isRnd: s % 2 === 0,
        isTechnical: true,
        employedFrom,
        socialInsuranceFrom: employedFrom.slice(0, 7),
        qualifications: managesProjects
          ? [
              {
                kind: s % 2 === 0 ? 'senior-pm' : 'pmp',
                number: `PM${thisYear - 3}${String(1000 + person)}`,
                issuedOn: addMonths(today, -40),
                expiresOn: s % 2 === 0 ? null : addMonths(today, 8),
              },
            ]
          : [],
      });
      staffIds.push(created.id);
    }

    for (let p = 0; p < o.projects; p++) {
      const [name, client] = PROJECTS[(p + i) % PROJECTS.length]!;
      const signedOn = addMonths(today, -(4 + p * 5));
      const accepted = p > 0;
      await call('POST', `${base}/projects`, {
        name,
        client,
        contractNumber: `HT-${thisYear}-${String(i + 1).padStart(2, '0')}${String(p + 1).padStart(2, '0')}`,
        amount: wan(Math.round((o.revenue / (o.projects + 2)) * (1 + (p % 3) * 0.3))),
        signedOn,
        ...(accepted ? { acceptedOn: addMonths(signedOn, 4), status: 'accepted' } : {}),
        managerId: staffIds[p % Math.max(1, Math.ceil(o.staff / 3))] ?? null,
        technologies: ['Java', '云计算', '大数据'].slice(0, 1 + (p % 3)),
      });
    }

    for (let y = 1; y <= 3; y++) {
      const revenue = Math.round(o.revenue * (1 - (y - 1) * 0.12));
      await call('POST', `${base}/financial-years`, {
        year: thisYear - y,
        revenue: wan(revenue),
        systemIntegrationRevenue: wan(Math.round(revenue * 0.7)),
        softwareServiceRevenue: wan(Math.round(revenue * 0.2)),
        rndExpense: wan(Math.round(revenue * 0.06)),
        netProfit: wan(Math.round(revenue * 0.08)),
        operatingCashFlow: wan(Math.round(revenue * 0.05)),
      });
    }

    for (let k = 0; k < 3; k++) {
      const grantedOn = addMonths(today, -(12 + k * 9));
      await call('POST', `${base}/ip`, {
        kind: 'software-copyright',
        name: `${o.name.slice(2, 6)}${['项目管理软件', '运维监控平台', '数据交换中间件'][k]} V${k + 1}.0`,
        number: `${grantedOn.slice(0, 4)}SR${String(100000 + i * 10 + k)}`,
        grantedOn,
      });
    }
    if (o.certificate) {
      await call('PUT', `${base}/legal-entity`, { isIndependent: true, confirmedOn: addMonths(today, -1) });
    }
  }
  return ORGS.length;
}
