import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Gives zod schemas `.openapi()` (a one-time prototype extension). Route modules call it while they
// load, so this must run before any of them: app.ts imports this module for its side effect, and
// side-effect imports stay first whatever order the named imports are sorted in.
extendZodWithOpenApi(z);
