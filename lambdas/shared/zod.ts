/**
 * The functions' validator: zod's functional build (`zod/mini`) with zod's English messages. Same schemas,
 * same checks and the same issue codes and messages as zod's chainable API, which the tests and the
 * `ok:false` answers pin; but its methods are plain functions that a bundle keeps only when used, and a cold
 * start sets up a fraction of the classes (docs/benchmarks.md: the schemas alone in a fresh process +62 →
 * +20 ms over bare). zod/mini registers no locale by itself: English is configured here, once, for every
 * schema that imports `z` from this module.
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
