#!/usr/bin/env node
// The one `zkesim` entry point. Sources are TypeScript; tsx compiles them on load so that
// `npx zkesim` works straight after `npm ci`, with no separate build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('@zkesim/apps/zkesim');
