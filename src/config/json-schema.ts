import { z } from 'zod';
import { ConfigFile } from './schema.js';
import { SiteSpec } from '../sites/schema.js';

/**
 * JSON Schemas for editors (YAML language servers read `# yaml-language-server: $schema=…`).
 * Generated from the same zod schemas that validate, so they cannot drift. `io: 'input'`
 * describes what may be written (sizes as "8 MB", omitted defaults), not the parsed result.
 */

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigFile, { io: 'input', unrepresentable: 'any' }),
    title: 'leakwatch configuration (leakwatch.yaml)',
  };
}

export function siteJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(SiteSpec, { io: 'input', unrepresentable: 'any' }),
    title: 'leakwatch site definition',
  };
}
