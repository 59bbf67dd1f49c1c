import { rngFor, type Rng } from '../synth/index.js';
import type { SimPostInput } from './types.js';

/**
 * Fictional victim posts: company, website, date, countdown, claimed data size and a
 * description in the tone of real leak posts. The stolen corpus is New Zealand clinical data,
 * so most victims are health providers. Every name is invented; websites use the reserved
 * `.example` TLD so no real organisation is ever named.
 */

export type VictimLocale = 'en' | 'ru' | 'de';

const EN_FIRST = ['Harbour', 'Kauri', 'Silver Fern', 'Northgate', 'Tasman', 'Pohutukawa', 'Riverside', 'Summit', 'Kowhai', 'Bayview', 'Greenlane', 'Ironbark', 'Westmere', 'Rimu', 'Clearwater', 'Southern Cross', 'Lakeside', 'Matai', 'Totara', 'Bluff'];
const EN_SECOND = ['Medical Centre', 'Health', 'Dental Group', 'Radiology', 'Physiotherapy', 'Family Practice', 'Pharmacy', 'Laboratories', 'Specialists', 'Surgical', 'Care Group', 'Accounting', 'Logistics', 'Engineering', 'Legal'];
const EN_SUFFIX = ['Ltd', 'Limited', 'Group', 'Partners', 'Trust', 'LLP', ''];

const DE_FIRST = ['Müller', 'Schäfer', 'Größer', 'Kühn', 'Fuchs', 'Weiß', 'Bäcker', 'Lüdecke', 'Jäger', 'Böhm'];
const DE_SECOND = ['Präzisionstechnik', 'Gesundheitszentrum', 'Zahnärzte', 'Logistik', 'Laboratorien', 'Praxisgemeinschaft', 'Steuerberatung', 'Fördertechnik'];
const DE_SUFFIX = ['GmbH', 'AG', 'GmbH & Co. KG', 'e.K.', 'SARL', 'S.à r.l.'];

const RU_FIRST = ['Северный', 'Балтийский', 'Уральский', 'Волжский', 'Сибирский', 'Невский', 'Донской', 'Камский'];
const RU_SECOND = ['Медицинский центр', 'Диагностика', 'Логистика', 'Стоматология', 'Лаборатория', 'Клиника', 'Фармация', 'Машиностроение'];
const RU_SUFFIX = ['ООО', 'АО', 'ЗАО'];

const SECTOR_EN = ['a private healthcare provider', 'a regional medical practice', 'a diagnostic laboratory network', 'a specialist clinic', 'a family health centre', 'an allied-health provider'];
const CITIES_EN = ['Auckland', 'Wellington', 'Christchurch', 'Hamilton', 'Tauranga', 'Dunedin', 'Nelson', 'Napier', 'Palmerston North', 'Whangārei'];
const DATA_EN = ['patient records', 'lab results', 'referral letters', 'prescriptions', 'passport scans', 'HR files', 'payroll', 'insurance claims', 'contracts', 'emails'];

function pickN<T>(rng: Rng, items: readonly T[], n: number): T[] {
  return rng.sample(items, n);
}

function companyName(rng: Rng, locale: VictimLocale): string {
  if (locale === 'ru') return `${rng.pick(RU_SUFFIX)} «${rng.pick(RU_FIRST)} ${rng.pick(RU_SECOND).toLowerCase()}»`;
  if (locale === 'de') return `${rng.pick(DE_FIRST)} ${rng.pick(DE_SECOND)} ${rng.pick(DE_SUFFIX)}`;
  const suffix = rng.pick(EN_SUFFIX);
  return `${rng.pick(EN_FIRST)} ${rng.pick(EN_SECOND)}${suffix ? ` ${suffix}` : ''}`;
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** ASCII slug of any name: transliterated, accents dropped, lower-case, dashes. */
export function slugify(text: string): string {
  const ascii = [...text.toLowerCase()].map((c) => TRANSLIT[c] ?? c).join('').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');
  return ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(ooo|ao|zao)-/, '').slice(0, 60) || 'post';
}

function websiteFor(name: string): string {
  const words = slugify(name).split('-').filter((w) => !['ltd', 'limited', 'gmbh', 'ag', 'co', 'kg', 'llp', 'sarl', 's', 'a', 'r', 'l', 'e', 'k'].includes(w));
  return `${words.slice(0, 3).join('-') || 'victim'}.example`;
}

function dataSizeText(rng: Rng, locale: VictimLocale): string {
  if (rng.chance(0.2)) {
    const tb = (rng.int(11, 49) / 10).toFixed(1);
    return locale === 'ru' ? `${tb.replace('.', ',')} Тб` : locale === 'de' ? `${tb.replace('.', ',')} TB` : `${tb} TB`;
  }
  const gb = rng.int(4, 900);
  return locale === 'ru' ? `${gb} Гб` : `${gb} GB`;
}

function description(rng: Rng, locale: VictimLocale, name: string, size: string): string {
  if (locale === 'ru') {
    return `Компания ${name} — частная клиника. Мы скачали ${size} данных: медицинские карты пациентов, результаты анализов, паспорта, бухгалтерия. Руководство компании проигнорировало наше предложение. Все данные будут опубликованы.`;
  }
  if (locale === 'de') {
    return `${name} ist ein Unternehmen aus ${rng.pick(['München', 'Köln', 'Düsseldorf', 'Nürnberg', 'Lübeck'])}. Wir haben ${size} Daten heruntergeladen: Patientenakten, Verträge, Gehaltsabrechnungen, Ausweiskopien. Die Geschäftsführung hat nicht reagiert. Alle Daten werden veröffentlicht.`;
  }
  const kinds = pickN(rng, DATA_EN, rng.int(3, 5)).join(', ');
  return `${name} is ${rng.pick(SECTOR_EN)} based in ${rng.pick(CITIES_EN)}. We have downloaded ${size} of data: ${kinds}. ` +
    `The management ignored our offer and chose not to protect their patients. ${rng.chance(0.5) ? 'Samples are below; the full archive will follow.' : 'All data will be published when the timer ends.'}`;
}

const DAY_MS = 86_400_000;

/**
 * `count` victim posts for a site, newest first, relative to `now`. About half still have a
 * running countdown (deadline in the future); the rest are published (deadline passed).
 */
export function generateVictims(seed: number, siteId: string, count: number, locale: VictimLocale, now: Date): SimPostInput[] {
  const out: SimPostInput[] = [];
  const used = new Set<string>();
  let ageMs = 0;
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'sim-victim', siteId, i);
    let title = companyName(rng, locale);
    for (let n = 2; used.has(slugify(title)); n++) title = `${companyName(rng, locale)}${n > 4 ? ` ${n}` : ''}`;
    used.add(slugify(title));
    // Whole seconds, so printed dates and countdowns round-trip exactly.
    ageMs += Math.round(rng.float(0.3, 4) * DAY_MS / 1000) * 1000;
    const publishedAt = new Date(now.getTime() - ageMs);
    const running = rng.chance(0.5);
    const deadlineAt = running
      ? new Date(now.getTime() + Math.round(rng.float(0.2, 12) * DAY_MS / 1000) * 1000)
      : new Date(publishedAt.getTime() + 10 * DAY_MS);
    const size = dataSizeText(rng, locale);
    const input: SimPostInput = {
      title,
      website: websiteFor(title),
      publishedAt,
      dataSizeText: size,
      description: description(rng, locale, title, size),
    };
    if (deadlineAt.getTime() > publishedAt.getTime()) input.deadlineAt = deadlineAt;
    out.push(input);
  }
  return out;
}
