import type { SiteStyle } from '../types.js';
import { apiStyle } from './api.js';
import { blogStyle } from './blog.js';
import { cp1251Style, latin1Style } from './encoded.js';
import { hostileStyle } from './hostile.js';
import { jsOnlyStyle } from './js-only.js';
import { pagedStyle } from './paged.js';
import { queueStyle } from './queue.js';
import type { StyleModule } from './style.js';

/** Every site style by name. */
export const STYLES: Readonly<Record<SiteStyle, StyleModule>> = {
  blog: blogStyle,
  paged: pagedStyle,
  api: apiStyle,
  'js-only': jsOnlyStyle,
  queue: queueStyle,
  hostile: hostileStyle,
  cp1251: cp1251Style,
  latin1: latin1Style,
};

export type { StyleModule } from './style.js';
